// Shared by the cases that make an OpenPGP key with Debian's gpg, as a publisher does: evaluates to a closure
// gpg(home, passphrase, args) that runs gpg in batch mode in that home and returns what it printed. Each home should be
// a short path of its own (the agent's socket lives there); stop its agent with gpgconf --homedir <home> --kill all.
return { File home, String passphrase, List<String> args ->
    def p = (['gpg', '--homedir', home.path, '--batch', '--no-tty', '--pinentry-mode', 'loopback',
              '--passphrase', passphrase] + args).execute()
    def out = new StringBuilder(), err = new StringBuilder()
    p.waitForProcessOutput(out, err)
    assert p.exitValue() == 0 : "gpg ${args} failed: ${err}"
    return out.toString()
}
