package dev.genainormalizer.exporter.loadbalancing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MockClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DnsResolverTest {
  private final MockClock clock = new MockClock();
  private final AtomicReference<String[]> answer =
      new AtomicReference<>(new String[] {"10.0.0.2", "10.0.0.1"});
  private final AtomicInteger lookups = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();

  private InetAddress[] lookup(String hostname) throws UnknownHostException {
    assertThat(hostname).isEqualTo("normalizers");
    lookups.incrementAndGet();
    final String[] ips = answer.get();
    if (ips == null) {
      throw new UnknownHostException(hostname);
    }
    final InetAddress[] out = new InetAddress[ips.length];
    for (int i = 0; i < ips.length; i++) {
      out[i] = InetAddress.getByName(ips[i]); // literals: no lookup
    }
    return out;
  }

  private Membership membership() {
    return new Membership(
        new DnsResolver("normalizers", 4317, this::lookup),
        clock,
        Duration.ofSeconds(5),
        failures::incrementAndGet);
  }

  @Test
  void resolvesOncePerIntervalOfTheInjectedClock() {
    final Membership m = membership();
    assertThat(m.refreshIfDue()).containsExactly("10.0.0.1:4317", "10.0.0.2:4317");
    answer.set(new String[] {"10.0.0.1", "10.0.0.3"});
    clock.add(4, TimeUnit.SECONDS);
    assertThat(m.refreshIfDue()).as("not due yet").isNull();
    assertThat(lookups).hasValue(1);
    clock.add(1, TimeUnit.SECONDS);
    assertThat(m.refreshIfDue()).containsExactly("10.0.0.1:4317", "10.0.0.3:4317");
    clock.add(5, TimeUnit.SECONDS);
    assertThat(m.refreshIfDue()).as("unchanged").isNull();
    assertThat(lookups).hasValue(3);
  }

  @Test
  void aFailedLookupKeepsTheLastEndpointsAndIsCounted() {
    final Membership m = membership();
    m.refreshIfDue();
    answer.set(null);
    clock.add(5, TimeUnit.SECONDS);
    assertThat(m.refreshIfDue()).isNull();
    assertThat(failures).hasValue(1);
    assertThat(m.current()).containsExactly("10.0.0.1:4317", "10.0.0.2:4317");
  }

  @Test
  void ipv6AddressesAreBracketed() throws Exception {
    answer.set(new String[] {"::1"});
    assertThat(new DnsResolver("normalizers", 4317, this::lookup).resolve())
        .containsExactly("[0:0:0:0:0:0:0:1]:4317");
  }

  @Test
  void staticResolverIsResolvedOnce() {
    final AtomicInteger n = new AtomicInteger();
    final Membership m =
        new Membership(
            new StaticResolver(List.of("b:1", "a:1", "a:1")),
            clock,
            Duration.ofSeconds(5),
            n::incrementAndGet);
    assertThat(m.refreshIfDue()).containsExactly("a:1", "b:1");
    clock.add(1, TimeUnit.HOURS);
    assertThat(m.refreshIfDue()).isNull();
  }
}
