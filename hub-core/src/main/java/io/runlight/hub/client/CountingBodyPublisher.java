package io.runlight.hub.client;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.function.LongConsumer;

import static java.util.Objects.requireNonNull;

/**
 * A request body that tells how many bytes of it were handed to the connection so far, for
 * the upload progress. It counts afresh on every subscription (the client subscribes again
 * when it must resend the body).
 */
final class CountingBodyPublisher
        implements HttpRequest.BodyPublisher
{
    private final HttpRequest.BodyPublisher delegate;
    private final LongConsumer sent;

    CountingBodyPublisher(HttpRequest.BodyPublisher delegate, LongConsumer sent)
    {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.sent = requireNonNull(sent, "sent is null");
    }

    @Override
    public long contentLength()
    {
        return delegate.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber)
    {
        delegate.subscribe(new Flow.Subscriber<ByteBuffer>()
        {
            // onNext calls are serial (reactive streams rule 1.3), so a plain field is enough
            private long total;

            @Override
            public void onSubscribe(Flow.Subscription subscription)
            {
                subscriber.onSubscribe(subscription);
            }

            @Override
            public void onNext(ByteBuffer item)
            {
                int bytes = item.remaining();
                subscriber.onNext(item);
                total += bytes;
                sent.accept(total);
            }

            @Override
            public void onError(Throwable throwable)
            {
                subscriber.onError(throwable);
            }

            @Override
            public void onComplete()
            {
                subscriber.onComplete();
            }
        });
    }
}
