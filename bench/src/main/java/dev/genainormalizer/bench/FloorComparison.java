package dev.genainormalizer.bench;

/**
 * The service's cost next to the protobuf floor, both in spans per CPU-second: the floor's is the
 * better of its measurements before and after the run, since other load on the machine only ever
 * slows it.
 */
record FloorComparison(double floorBefore, double floorAfter, double serviceSpansPerCpuSecond) {

  double floorSpansPerCpuSecond() {
    return Math.max(floorBefore, floorAfter);
  }

  /**
   * Service CPU per span divided by floor CPU per span: how many times the bare decode + encode the
   * service spends on each span.
   */
  double ratio() {
    return floorSpansPerCpuSecond() / serviceSpansPerCpuSecond;
  }
}
