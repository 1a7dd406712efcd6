package dev.pyruntime.flags;

import java.util.List;

/**
 * The conflicts the planner reports between resolved flags and CPython's own build; a manifest accepts one by
 * listing its id under {@code accept}.
 */
public enum FlagCheck {
    /** An -O level in EXTRA_CFLAGS comes after CPython's OPT (-O3) on the compiler line, so it wins. */
    OPTIMIZATION_LEVEL("optimization-level"),
    /** -flto flags from the vendor next to configure's --with-lto, which chooses CPython's own LTO flags. */
    VENDOR_LTO("vendor-lto"),
    /** A flag and its negation in one set (-fomit-frame-pointer and -fno-omit-frame-pointer): the last one wins. */
    CONTRADICTING_FLAGS("contradicting-flags"),
    /** A flag given twice in one set: the duplicate is dropped. */
    DUPLICATE_FLAG("duplicate-flag");

    private final String id;

    FlagCheck(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static List<String> ids() {
        return java.util.Arrays.stream(values()).map(FlagCheck::id).toList();
    }
}
