package network.subnet.node.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BatchingVerifierTest {

  @Test
  void aLoneCallerGetsItsOwnAnswerWithoutWaiting() {
    BatchingVerifier verifier = new BatchingVerifier(2, 64);
    LocalSigner signer = LocalSigner.generate();
    byte[] message = "alone".getBytes(StandardCharsets.UTF_8);
    byte[] signature = signer.sign(message);
    assertThat(verifier.verify(signer.publicKey(), message, signature)).isTrue();
    signature[40] ^= 4;
    assertThat(verifier.verify(signer.publicKey(), message, signature)).isFalse();
    assertThat(verifier.verify(signer.publicKey(), message, null)).isFalse();
    assertThat(verifier.batches()).isEqualTo(3);
    assertThat(verifier.checks()).isEqualTo(3);
  }

  @Test
  void concurrentCallersEachGetTheirOwnAnswer() throws InterruptedException {
    checkConcurrentCallers(new BatchingVerifier(1, 64), false);
    checkConcurrentCallers(new BatchingVerifier(2, 16), true);
  }

  /** 48 callers, a third of their signatures spoiled; each must see exactly its own verdict. */
  private static void checkConcurrentCallers(BatchingVerifier verifier, boolean virtual) throws InterruptedException {
    List<LocalSigner> miners = List.of(LocalSigner.generate(), LocalSigner.generate(), LocalSigner.generate());
    int callers = 48;
    int perCaller = 60;
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger answered = new AtomicInteger();
    AtomicReference<String> wrong = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      int caller = c;
      Runnable work = () -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perCaller; i++) {
          LocalSigner miner = miners.get((caller + i) % miners.size());
          byte[] message = ("caller " + caller + " result " + i).getBytes(StandardCharsets.UTF_8);
          byte[] signature = miner.sign(message);
          boolean good = (caller * 7 + i) % 3 != 0;
          if (!good) {
            signature[(caller + i) % 64] ^= (byte) (1 << (i % 8));
          }
          if (verifier.verify(miner.publicKey(), message, signature) != good) {
            wrong.compareAndSet(null, "caller " + caller + " check " + i + " expected " + good);
          }
          answered.incrementAndGet();
        }
      };
      threads.add(virtual ? Thread.ofVirtual().start(work) : Thread.ofPlatform().start(work));
    }
    start.countDown();
    for (Thread t : threads) {
      t.join(60_000);
      assertThat(t.isAlive()).as("a caller still waits for its answer").isFalse();
    }
    assertThat(wrong.get()).isNull();
    assertThat(answered.get()).isEqualTo(callers * perCaller);
    assertThat(verifier.checks()).isEqualTo(callers * perCaller);
    // Callers queue behind busy combiners, so checks must have shared batches.
    assertThat(verifier.batches()).isLessThan(verifier.checks());
  }

  @Test
  void aMissingKeyIsTheCallersOwnError() {
    BatchingVerifier verifier = new BatchingVerifier(1, 8);
    assertThatThrownBy(() -> verifier.verify(null, new byte[1], new byte[64])).hasMessageContaining("public key");
    assertThat(verifier.checks()).isZero();
  }

  @Test
  void refusesNonsenseSizes() {
    assertThatThrownBy(() -> new BatchingVerifier(0, 64)).hasMessageContaining("combiner");
    assertThatThrownBy(() -> new BatchingVerifier(2, 0)).hasMessageContaining("batch");
  }

  @Test
  void resultSignaturesVerifyThroughTheSharedBatcher() {
    LocalSigner signer = LocalSigner.generate();
    byte[] digest = new byte[32];
    digest[3] = 9;
    byte[] signature = signer.sign(digest);
    long before = ResultSignatures.verifier().checks();
    assertThat(ResultSignatures.verify(signer.publicKey(), digest, signature)).isTrue();
    digest[3] = 8;
    assertThat(ResultSignatures.verify(signer.publicKey(), digest, signature)).isFalse();
    assertThat(ResultSignatures.verifier().checks() - before).isGreaterThanOrEqualTo(2);
  }
}
