package dev.pyruntime.publish;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * An SDK hook that loses answers: the first attempt of each {@code PUT} whose path ends with a given suffix reaches
 * the store and succeeds there, and then its answer is thrown away as a broken connection would, so the SDK retries
 * the same request. What the store holds is real; only the client's view of it is cut.
 */
final class LosingInterceptor implements ExecutionInterceptor {
    private final String pathSuffix;
    private final Runnable meanwhile;
    private final AtomicInteger lost = new AtomicInteger();

    /** Loses the answers of PUTs to keys ending with {@code pathSuffix} ("" for every PUT). */
    LosingInterceptor(String pathSuffix) {
        this(pathSuffix, () -> { });
    }

    /** As above, and runs {@code meanwhile} after each loss, before the retry: what another deploy does then. */
    LosingInterceptor(String pathSuffix, Runnable meanwhile) {
        this.pathSuffix = pathSuffix;
        this.meanwhile = meanwhile;
    }

    /** How many answers were lost. */
    int lost() {
        return lost.get();
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        SdkHttpRequest request = context.httpRequest();
        boolean firstAttempt = request.firstMatchingHeader("amz-sdk-request").orElse("").startsWith("attempt=1;");
        if (request.method() != SdkHttpMethod.PUT || !request.encodedPath().endsWith(pathSuffix) || !firstAttempt
                || !context.httpResponse().isSuccessful()) {
            return;
        }
        try (InputStream body = context.responseBody().orElse(InputStream.nullInputStream())) {
            body.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // Lost anyway.
        }
        lost.incrementAndGet();
        meanwhile.run();
        // What the SDK's HTTP stage throws when a connection breaks: a client exception with an IOException cause.
        throw SdkClientException.create("Unable to execute HTTP request: the store's answer to " + request.encodedPath()
                + " was lost (test)", new IOException("Unexpected end of file from server"));
    }
}
