package dev.genainormalizer.exporter.testing;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.File;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OTLP/gRPC backend on loopback that speaks only TLS, with the given certificate; keeps what it
 * got.
 */
public final class TlsGrpcSink implements AutoCloseable {
  private final List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
  private final Server server;

  public TlsGrpcSink(File certificateFile, File privateKeyFile) {
    server =
        Server.builder()
            .https(0)
            .tls(certificateFile, privateKeyFile)
            .service(
                GrpcService.builder()
                    .addService(
                        new TraceServiceGrpc.TraceServiceImplBase() {
                          @Override
                          public void export(
                              ExportTraceServiceRequest request,
                              StreamObserver<ExportTraceServiceResponse> observer) {
                            received.add(request);
                            observer.onNext(ExportTraceServiceResponse.getDefaultInstance());
                            observer.onCompleted();
                          }
                        })
                    .build())
            .build();
    server.start().join();
  }

  public int port() {
    return server.activeLocalPort();
  }

  /** What arrived so far; cleared by {@link #clear()}. */
  public List<ExportTraceServiceRequest> received() {
    return received;
  }

  public void clear() {
    received.clear();
  }

  @Override
  public void close() {
    server.stop().join();
  }
}
