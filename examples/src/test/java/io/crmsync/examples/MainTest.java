package io.crmsync.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void demoListsEveryStepAndExitsZero() {
    assertThat(run("demo")).isZero();
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(Main.DEMO_STEPS).allSatisfy(step -> assertThat(printed).contains(step));
  }

  @Test
  void unknownCommandExitsTwoAndNamesIt() {
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("'frobnicate'");
  }
}
