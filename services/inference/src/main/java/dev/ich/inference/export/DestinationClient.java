package dev.ich.inference.export;

import java.util.List;

/** Sends a batch of one study's objects to one destination in one association or request. */
interface DestinationClient {
    /** One {@link Delivery} per object, in the batch's order; never throws for what the destination did. */
    List<Delivery> send(List<ExportObject> batch);

    /** Where it sends, for the status endpoint and logs: host, port and AE title, or the URL (never credentials). */
    String target();
}
