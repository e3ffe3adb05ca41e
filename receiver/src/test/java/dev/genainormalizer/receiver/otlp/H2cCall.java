package dev.genainormalizer.receiver.otlp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC call over a fresh h2c connection, seen at the HTTP/2 frame level: what a gRPC library
 * hides is recorded here, notably a {@code RST_STREAM} from the server and whether the answer came
 * before the client had sent its whole call (what makes grpc-java report {@code UNKNOWN} instead of
 * the status the server sent).
 */
final class H2cCall {
  private static final long PING = 0x6772706348327063L;

  /**
   * What the server sent on the call's stream, once settled (a PING round trip after the answer).
   *
   * @param headers every HEADERS frame, in order, as name to value
   * @param endStreamHeaders whether the last HEADERS frame ended the stream
   * @param data the DATA bytes
   * @param resetCode the RST_STREAM error code, or -1 when there was none
   * @param answeredBeforeRequestSent whether the answer's first frame arrived before the last DATA
   *     frame of the request had been written to the socket
   */
  record Exchange(
      List<Map<String, String>> headers,
      boolean endStreamHeaders,
      byte[] data,
      long resetCode,
      boolean answeredBeforeRequestSent) {
    /** gRPC status: in the trailers, or in the headers of a trailers-only answer. */
    String grpcStatus() {
      return headers.isEmpty() ? null : headers.get(headers.size() - 1).get("grpc-status");
    }

    String header(String name) {
      for (int i = headers.size() - 1; i >= 0; i--) {
        final String v = headers.get(i).get(name);
        if (v != null) {
          return v;
        }
      }
      return null;
    }
  }

  private H2cCall() {}

  /**
   * A gRPC call to {@code path}: {@code body} sent in 16 KiB DATA frames, as fast as the flow
   * control lets.
   */
  static Exchange grpc(int port, String path, Map<String, String> extraHeaders, byte[] body)
      throws Exception {
    final Http2Headers headers =
        new DefaultHttp2Headers()
            .method("POST")
            .scheme("http")
            .authority("127.0.0.1:" + port)
            .path(path)
            .set("content-type", "application/grpc")
            .set("te", "trailers");
    extraHeaders.forEach(headers::set);
    return call(port, headers, body);
  }

  /** A gRPC frame: the compressed flag, the length, the payload. */
  static byte[] frame(boolean compressed, byte[] payload) {
    final byte[] out = new byte[5 + payload.length];
    out[0] = (byte) (compressed ? 1 : 0);
    out[1] = (byte) (payload.length >>> 24);
    out[2] = (byte) (payload.length >>> 16);
    out[3] = (byte) (payload.length >>> 8);
    out[4] = (byte) payload.length;
    System.arraycopy(payload, 0, out, 5, payload.length);
    return out;
  }

  static Exchange call(int port, Http2Headers headers, byte[] body) throws Exception {
    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      final Recorder recorder = new Recorder(headers, body);
      final Channel channel =
          new Bootstrap()
              .group(group)
              .channel(NioSocketChannel.class)
              .handler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(), recorder);
                    }
                  })
              .connect("127.0.0.1", port)
              .sync()
              .channel();
      try {
        return recorder.exchange.get(60, TimeUnit.SECONDS);
      } finally {
        channel.close().sync();
      }
    } finally {
      group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }
  }

  /** Sends the call once the connection is up and records the answer; all on the event loop. */
  private static final class Recorder extends Http2ChannelDuplexHandler {
    final CompletableFuture<Exchange> exchange = new CompletableFuture<>();
    private final Http2Headers requestHeaders;
    private final byte[] body;
    private final List<Map<String, String>> headers = new ArrayList<>();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private Http2FrameStream stream;
    private ChannelFuture lastWrite;
    private boolean endStreamHeaders;
    private long resetCode = -1;
    private Boolean answeredBeforeRequestSent;
    private boolean pinged;

    Recorder(Http2Headers requestHeaders, byte[] body) {
      this.requestHeaders = requestHeaders;
      this.body = body;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      super.channelActive(ctx);
      stream = newStream();
      ctx.write(new DefaultHttp2HeadersFrame(requestHeaders, body.length == 0).stream(stream));
      for (int off = 0; off < body.length; off += 16 * 1024) {
        final int n = Math.min(16 * 1024, body.length - off);
        lastWrite =
            ctx.write(
                new DefaultHttp2DataFrame(
                        Unpooled.wrappedBuffer(body, off, n), off + n == body.length)
                    .stream(stream));
      }
      ctx.flush();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2HeadersFrame h && h.stream() == stream) {
          answered();
          final Map<String, String> map = new java.util.LinkedHashMap<>();
          h.headers().forEach(e -> map.put(e.getKey().toString(), e.getValue().toString()));
          headers.add(map);
          endStreamHeaders = h.isEndStream();
          if (h.isEndStream()) {
            settle(ctx);
          }
        } else if (msg instanceof Http2DataFrame d && d.stream() == stream) {
          answered();
          data.writeBytes(ByteBufUtil.getBytes(d.content()));
          if (d.initialFlowControlledBytes() > 0) {
            ctx.writeAndFlush(
                new DefaultHttp2WindowUpdateFrame(d.initialFlowControlledBytes()).stream(stream));
          }
          if (d.isEndStream()) {
            settle(ctx);
          }
        } else if (msg instanceof Http2ResetFrame r && r.stream() == stream) {
          answered();
          resetCode = r.errorCode();
          settle(ctx);
        } else if (msg instanceof Http2PingFrame p && p.ack() && p.content() == PING) {
          exchange.complete(
              new Exchange(
                  List.copyOf(headers),
                  endStreamHeaders,
                  data.toByteArray(),
                  resetCode,
                  Boolean.TRUE.equals(answeredBeforeRequestSent)));
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      exchange.completeExceptionally(
          new IllegalStateException("connection closed; headers " + headers));
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      exchange.completeExceptionally(cause);
    }

    private void answered() {
      if (answeredBeforeRequestSent == null) {
        answeredBeforeRequestSent = lastWrite != null && !lastWrite.isSuccess();
      }
    }

    /** Frames the server sent before it answers this PING have all been read once it does. */
    private void settle(ChannelHandlerContext ctx) {
      if (!pinged) {
        pinged = true;
        ctx.writeAndFlush(new DefaultHttp2PingFrame(PING, false));
      }
    }
  }
}
