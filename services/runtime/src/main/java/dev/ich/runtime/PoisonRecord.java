package dev.ich.runtime;

/**
 * A record no retry can help: not an event of the topic's type, a key that is not its subject, a reference to nothing.
 * A consumer nacks such a record with this exception and, on a channel with the {@link PoisonToDeadLetter} strategy,
 * SmallRye puts it on the dead-letter topic with this message as {@code dead-letter-reason}, while the channel goes on.
 */
public class PoisonRecord extends RuntimeException {
    public PoisonRecord(String reason) {
        super(reason);
    }
}
