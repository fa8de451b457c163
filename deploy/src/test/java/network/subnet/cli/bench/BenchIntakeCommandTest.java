package network.subnet.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchIntakeCommandTest {

  @Test
  void everyResultIsVerifiedAndCreditedOnceOnBothStorages() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new BenchIntakeCommand());
    cli.setOut(new PrintWriter(out));

    int code = cli.execute("--results", "200", "--json");

    assertThat(code).isZero();
    JsonNode report = new ObjectMapper().readTree(out.toString());
    assertThat(report.get("auditOk").asBoolean()).isTrue();
    JsonNode runs = report.get("runs");
    assertThat(runs).hasSize(2);
    assertThat(runs.get(0).get("storage").asText()).isEqualTo("rocksdb");
    assertThat(runs.get(1).get("storage").asText()).isEqualTo("memory");
    for (JsonNode run : runs) {
      assertThat(run.get("tasks").asInt()).isEqualTo(100);
      assertThat(run.get("results").asInt()).isEqualTo(200);
      assertThat(run.get("resultsPerSecond").asDouble()).isPositive();
      assertThat(run.get("cpuMicrosPerResult").asDouble()).isPositive();
      JsonNode audit = run.get("audit");
      assertThat(audit.get("ok").asBoolean()).isTrue();
      assertThat(audit.get("accepted").asLong()).isEqualTo(200);
      assertThat(audit.get("refused").asLong()).isZero();
      assertThat(audit.get("tasksVerified").asLong()).isEqualTo(100);
      assertThat(audit.get("resultsAgreed").asLong()).isEqualTo(200);
      // 100 tasks x 16 tokens x 2 replicas.
      assertThat(audit.get("creditsTotal").asLong()).isEqualTo(3_200).isEqualTo(audit.get("creditsExpected").asLong());
      assertThat(audit.get("problems")).isEmpty();
    }
    JsonNode single = report.get("runsSingleVerify");
    assertThat(single).hasSize(2);
    for (JsonNode run : single) {
      assertThat(run.get("verify").asText()).isEqualTo("single");
      assertThat(run.get("audit").get("ok").asBoolean()).isTrue();
      assertThat(run.get("audit").get("accepted").asLong()).isEqualTo(200);
    }
    for (JsonNode run : runs) {
      assertThat(run.get("verify").asText()).isEqualTo("batched");
      assertThat(run.get("meanBatch").asDouble()).isGreaterThanOrEqualTo(1.0);
    }
    JsonNode batch = report.get("batchVerify");
    assertThat(batch).hasSize(4); // 2 keys and distinct keys, each on 1 and 2 threads
    for (JsonNode b : batch) {
      assertThat(b.get("batch").asInt()).isEqualTo(64);
      assertThat(b.get("signatures").asInt()).isEqualTo(200);
      assertThat(b.get("verifiesPerSecond").asDouble()).isPositive();
      assertThat(b.get("singleVerifiesPerSecond").asDouble()).isPositive();
    }
    assertThat(batch.get(0).get("keys").asInt()).isEqualTo(2);
    assertThat(batch.get(2).get("keys").asInt()).isEqualTo(200);
    JsonNode verify = report.get("verify");
    assertThat(verify).hasSize(3);
    assertThat(verify.get(0).get("threads").asInt()).isEqualTo(1);
    assertThat(verify.get(1).get("verifiesPerSecond").asDouble()).isPositive();
    assertThat(verify.get(1).get("pointCache").asBoolean()).isTrue();
    assertThat(verify.get(2).get("pointCache").asBoolean()).isFalse();
    assertThat(verify.get(2).get("verifiesPerSecond").asDouble()).isPositive();
    assertThat(report.get("intakeToVerifyRatio").get("memory").asDouble()).isPositive();
  }

  @Test
  void oddResultCountIsRefusedWithAClearMessage() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new BenchIntakeCommand());
    cli.setErr(new PrintWriter(err));

    int code = cli.execute("--results", "201");

    assertThat(code).isNotZero();
    assertThat(err.toString()).contains("--results must be an even number");
  }
}
