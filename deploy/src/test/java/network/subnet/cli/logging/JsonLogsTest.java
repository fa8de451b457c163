package network.subnet.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import network.subnet.cli.LogFormat;
import network.subnet.cli.SubnetCommand;
import network.subnet.node.api.Capabilities;
import network.subnet.node.api.CompressSpec;
import network.subnet.node.api.Lease;
import network.subnet.node.api.TaskKind;
import network.subnet.node.api.WorkResult;
import network.subnet.node.codec.ActivationCodec;
import network.subnet.node.codec.CodecRegistry;
import network.subnet.node.codec.EncodedBlob;
import network.subnet.node.codec.SyntheticActivations;
import network.subnet.node.identity.LocalSigner;
import network.subnet.node.results.ResultDigest;
import network.subnet.node.storage.InMemoryStorage;
import network.subnet.node.tensor.DType;
import network.subnet.validator.ValidatorConfig;
import network.subnet.validator.ValidatorNode;
import network.subnet.validator.tasks.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The shipped logback.xml: the layout follows --log-format / SUBNET_LOG_FORMAT, and JSON lines carry the MDC. */
class JsonLogsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintStream realErr = System.err;

  @AfterEach
  void restore() throws Exception {
    System.setErr(realErr);
    configure("text");
  }

  /** Reconfigures the process's logback from the shipped logback.xml with the given layout. */
  private static void configure(String layout) throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    context.putProperty(LogFormat.ENV, layout);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(JsonLogsTest.class.getResource("/logback.xml"));
  }

  private List<JsonNode> captureJson(Runnable work) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
    configure("json");
    try {
      work.run();
    } finally {
      System.setErr(realErr);
    }
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).lines().toList()) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  @Test
  void theLayoutComesFromTheFlagThenTheEnvironment() {
    assertThat(LogFormat.select(new String[] {"validator"}, Map.of())).isEqualTo(LogFormat.Layout.text);
    assertThat(LogFormat.select(new String[] {}, Map.of(LogFormat.ENV, "JSON"))).isEqualTo(LogFormat.Layout.json);
    assertThat(LogFormat.select(new String[] {"miner", "--log-format", "json"}, Map.of(LogFormat.ENV, "text")))
        .isEqualTo(LogFormat.Layout.json);
    assertThat(LogFormat.select(new String[] {"--log-format=json"}, Map.of())).isEqualTo(LogFormat.Layout.json);
    assertThat(LogFormat.select(new String[] {"--log-format", "xml"}, Map.of())).isEqualTo(LogFormat.Layout.text);
  }

  @Test
  void everyCommandAcceptsTheFlagAndABadValueIsNamed() {
    StringWriter err = new StringWriter();
    var cli = SubnetCommand.commandLine();
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute("keys", "--log-format", "xml")).isEqualTo(2);
    assertThat(err.toString()).contains("--log-format").contains("expected text or json, got 'xml'");
    assertThat(SubnetCommand.commandLine().parseArgs("--log-format", "JSON").matchedOptionValue("--log-format",
        LogFormat.Layout.text)).isEqualTo(LogFormat.Layout.json);
    assertThat(SubnetCommand.commandLine().parseArgs("codec", "--log-format", "json").hasSubcommand()).isTrue();
  }

  @Test
  void jsonLinesParseAndCarryTheMdc() throws Exception {
    List<JsonNode> lines = captureJson(() -> {
      try (MDC.MDCCloseable m = MDC.putCloseable("miner", "ab12");
          MDC.MDCCloseable t = MDC.putCloseable("task", "t-7")) {
        LoggerFactory.getLogger("subnet.test").info("labelled {} tokens", 64);
      }
    });
    assertThat(lines).hasSize(1);
    JsonNode line = lines.get(0);
    assertThat(line.path("level").asText()).isEqualTo("INFO");
    assertThat(line.path("loggerName").asText()).isEqualTo("subnet.test");
    assertThat(line.path("formattedMessage").asText()).isEqualTo("labelled 64 tokens");
    assertThat(line.path("mdc").path("miner").asText()).isEqualTo("ab12");
    assertThat(line.path("mdc").path("task").asText()).isEqualTo("t-7");
  }

  @Test
  void theValidatorLogsASettledTaskWithTheMinerAndTaskInTheMdc() throws Exception {
    ValidatorNode node = new ValidatorNode(ValidatorConfig.defaults().withReplicas(1), new InMemoryStorage(),
        LocalSigner.generate(), System::currentTimeMillis);
    List<String> codecs = CodecRegistry.standard().codecs().stream().map(ActivationCodec::key).toList();
    Task task = Task.of(new CompressSpec(
        SyntheticActivations.tensor(SyntheticActivations.Kind.GAUSSIAN, 8, 32, DType.F32, 1), 0.99, codecs));
    node.addTasks(List.of(task));
    LocalSigner miner = LocalSigner.generate();
    node.register(miner.publicKey(), new Capabilities(Set.of(TaskKind.COMPRESS), null, codecs, 1), "test");
    Lease lease = node.lease(miner.publicKey(), 1, Duration.ZERO).get(0);
    EncodedBlob blob = CodecRegistry.standard().encodeBest(lease.compress().activations(), 0.99, codecs);
    WorkResult unsigned = new WorkResult(lease.taskId(), lease.leaseNonce(), "", TaskKind.COMPRESS, null,
        new WorkResult.CompressedOutput(blob.codec(), blob.blob()), null, 1, new byte[0]);
    WorkResult signed = new WorkResult(unsigned.taskId(), unsigned.leaseNonce(), "", TaskKind.COMPRESS, null,
        unsigned.compressed(), null, 1, miner.sign(ResultDigest.of(unsigned, miner.publicKey())));

    List<JsonNode> lines = captureJson(() -> node.submit(miner.publicKey(), signed));

    assertThat(lines).anySatisfy(line -> {
      assertThat(line.path("formattedMessage").asText()).contains("VERIFIED");
      assertThat(line.path("mdc").path("miner").asText()).isEqualTo(miner.publicKey().hex());
      assertThat(line.path("mdc").path("task").asText()).isEqualTo(task.id());
    });
    assertThat(MDC.get("task")).as("the MDC is cleared after the call").isNull();
  }
}
