package network.subnet.node.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import network.subnet.node.identity.Ed25519Batch.Item;

/**
 * Gathers concurrent Ed25519 checks into {@link Ed25519Batch} batches with no thread of its own and no timer (flat
 * combining). A caller queues its check and, when no one is combining, becomes the combiner itself: it takes up to
 * {@code maxBatch} queued checks (its own and whatever others arrived meanwhile), verifies them together and hands each
 * waiting caller its own answer. Otherwise it parks until a combiner has answered it, or until the last combiner leaves
 * and it is at the head of the queue. With one caller at a time nothing waits and each check is a single verify; under
 * load the batches grow by themselves, as checks queue up behind the busy combiner.
 *
 * <p>A second (up to {@code maxCombiners}) combiner starts only when a full batch is already waiting. Letting every
 * caller combine while fewer than the cores do would never batch on a server that runs its calls on virtual threads:
 * no more calls run at once than there are cores, so each would find a free slot and verify alone (measured: a mean
 * batch of 1.0 in {@code subnet bench intake}). For the same reason a combiner first yields its core, a few times while
 * the queue keeps growing, to the callers that are runnable already, so they reach their checks and join its batch
 * (a mean batch of 3 without the yields, 15 to 35 with them). A yield with no one else runnable returns at once:
 * an idle verifier adds no latency.
 */
public final class BatchingVerifier {

  public static final int DEFAULT_MAX_BATCH = 64;

  /** Most times a combiner lets other callers run before taking its batch. */
  static final int MAX_YIELDS = 4;

  private final int maxCombiners;
  private final int maxBatch;
  private final ConcurrentLinkedQueue<Request> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger combiners = new AtomicInteger();
  private final AtomicInteger queued = new AtomicInteger();
  private final LongAdder batches = new LongAdder();
  private final LongAdder checks = new LongAdder();

  /**
   * @param maxCombiners most callers verifying at once, when full batches wait: the cores that may spend time on them
   * @param maxBatch most checks in one batch
   */
  public BatchingVerifier(int maxCombiners, int maxBatch) {
    if (maxCombiners < 1 || maxBatch < 1) {
      throw new IllegalArgumentException(
          "a batching verifier needs >= 1 combiner and a batch of >= 1, got " + maxCombiners + " and " + maxBatch);
    }
    this.maxCombiners = maxCombiners;
    this.maxBatch = maxBatch;
  }

  /** Up to one combiner per available core, batches of up to {@value #DEFAULT_MAX_BATCH}. */
  public static BatchingVerifier forCores() {
    return new BatchingVerifier(Runtime.getRuntime().availableProcessors(), DEFAULT_MAX_BATCH);
  }

  /** Whether {@code signature} is {@code key}'s Ed25519 signature of {@code message}; blocks until answered. */
  public boolean verify(PublicKey key, byte[] message, byte[] signature) {
    Objects.requireNonNull(key, "an Ed25519 check needs a public key");
    Request request = new Request(new Item(key, message, signature), Thread.currentThread());
    queue.add(request);
    queued.incrementAndGet();
    boolean interrupted = false;
    while (!request.done) {
      if (!tryCombine()) {
        LockSupport.park(this);
        // The answer is due within one batch; an interrupt is kept for the caller rather than spun on.
        interrupted |= Thread.interrupted();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return request.result;
  }

  /** Batches verified so far (a lone check counts as a batch of one). */
  public long batches() {
    return batches.sum();
  }

  /** Checks answered so far; divided by {@link #batches()}, the mean batch size. */
  public long checks() {
    return checks.sum();
  }

  private boolean tryCombine() {
    for (int c = combiners.get(); c == 0 || (c < maxCombiners && queued.get() >= maxBatch); c = combiners.get()) {
      if (combiners.compareAndSet(c, c + 1)) {
        try {
          combine();
        } finally {
          combiners.decrementAndGet();
          // Queued callers park while a combiner runs: the one at the head comes to take over.
          Request head = queue.peek();
          if (head != null) {
            LockSupport.unpark(head.caller);
          }
        }
        return true;
      }
    }
    return false;
  }

  private void combine() {
    // Callers runnable now reach their checks first, while that fills the batch (see the class comment).
    for (int i = 0, before = queued.get(); i < MAX_YIELDS && before < maxBatch; i++) {
      Thread.yield();
      int now = queued.get();
      if (now == before) {
        break;
      }
      before = now;
    }
    List<Request> taken = new ArrayList<>(Math.min(maxBatch, 16));
    Request next;
    while (taken.size() < maxBatch && (next = queue.poll()) != null) {
      queued.decrementAndGet();
      taken.add(next);
    }
    if (taken.isEmpty()) {
      return;
    }
    List<Item> items = new ArrayList<>(taken.size());
    for (Request r : taken) {
      items.add(r.item);
    }
    boolean[] ok = new boolean[taken.size()];
    try {
      ok = verifyAll(items);
    } finally {
      // Every taken caller gets an answer, even if verifying threw: a refusal rather than a caller parked forever.
      for (int i = 0; i < taken.size(); i++) {
        taken.get(i).complete(ok[i]);
      }
      batches.increment();
      checks.add(taken.size());
    }
  }

  /** The batch's answers; should the batch itself throw, each check alone, so one odd input cannot sink the rest. */
  private static boolean[] verifyAll(List<Item> items) {
    try {
      return Ed25519Batch.verify(items);
    } catch (RuntimeException batchFailed) {
      boolean[] ok = new boolean[items.size()];
      for (int i = 0; i < ok.length; i++) {
        Item item = items.get(i);
        try {
          ok[i] = Ed25519.verify(item.key(), item.message(), item.signature());
        } catch (RuntimeException e) {
          ok[i] = false;
        }
      }
      return ok;
    }
  }

  private static final class Request {
    final Item item;
    final Thread caller;
    boolean result;
    volatile boolean done;

    Request(Item item, Thread caller) {
      this.item = item;
      this.caller = caller;
    }

    void complete(boolean ok) {
      result = ok;
      done = true;
      LockSupport.unpark(caller);
    }
  }
}
