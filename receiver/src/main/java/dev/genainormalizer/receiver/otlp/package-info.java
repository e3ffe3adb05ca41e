/**
 * The {@code otlp} receiver: OTLP/gRPC and OTLP/HTTP (protobuf and JSON) trace endpoints on
 * Armeria, with streamed, size-capped decompression and answers as the OTLP specification asks.
 */
package dev.genainormalizer.receiver.otlp;
