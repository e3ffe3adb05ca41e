package dev.genainormalizer.app;

/** The {@code genai-normalizer} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    final int code = new Cli(System.out, System.err, System.getenv()).execute(args);
    System.exit(code);
  }
}
