using System.Collections.Concurrent;
using Inspector.Core.Analysis;
using Inspector.Core.Concurrency;
using Inspector.Core.Sessions;

namespace Inspector.Cli.Commands;

/// <summary>
/// Hands session output to a thread of its own, in order, so formatting and writing (a third of
/// the work of `read --json` on a control-heavy capture) run on the second core while this one
/// reads, reassembles and analyses. Outputs are immutable records, so passing them across is
/// safe. Memory is bounded: at most <see cref="QueuedBatches"/> batches wait; past that the
/// reading side waits for the writer (the same backpressure a slow stdout gives today).
/// A writer failure (a disk full) is raised on the reading side at its next hand-over or at
/// <see cref="Complete"/>, as an <see cref="OutputFailedException"/>.
/// </summary>
internal sealed class WriterThreadSink : ISessionSink, IDisposable
{
    /// <summary>Calls per batch: one hand-over per batch, not per line.</summary>
    internal const int BatchSize = 128;

    /// <summary>Batches waiting for the writer at most (about 16,000 outputs).</summary>
    internal const int QueuedBatches = 128;

    /// <summary>How often the writer looks for batches by itself.</summary>
    internal static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(1);

    private enum Kind : byte { Started, Output, Ended }

    private readonly record struct Call(Kind Kind, SessionInfo Session, AnalysisOutput? Output, SessionSummary? Summary);

    private readonly ISessionSink inner;
    // The writer looks for work every millisecond by itself and is woken only if half the queue
    // waits: a wake-up cost the reading thread a system call (3% of its time on a control-heavy
    // capture when woken per batch). And outputs must not wait long: any that are still queued
    // when a collection comes survive it and are copied: with thousands queued, a fifth of the
    // collector's time on that capture (GC pauses 317 -> 255 ms, interleaved runs).
    private readonly BlockingHandoff<Call[]> full = new(QueuedBatches, wakeAt: QueuedBatches / 2, poll: Poll);
    private readonly ConcurrentBag<Call[]> spare = [];
    private readonly Thread thread;
    private Call[] batch = new Call[BatchSize];
    private int count;
    private Exception? failure;

    public WriterThreadSink(ISessionSink inner)
    {
        this.inner = inner;
        thread = new Thread(Drain) { IsBackground = true, Name = "inspector output" };
        thread.Start();
    }

    public void SessionStarted(SessionInfo session) => Add(new Call(Kind.Started, session, null, null));

    public void Output(SessionInfo session, AnalysisOutput output) => Add(new Call(Kind.Output, session, output, null));

    public void SessionEnded(SessionInfo session, SessionSummary summary) => Add(new Call(Kind.Ended, session, null, summary));

    /// <summary>Writes everything handed over so far and waits for it; raises a writer failure.</summary>
    public void Complete()
    {
        if (!full.IsAddingCompleted)
        {
            Hand();
            full.CompleteAdding();
        }
        thread.Join();
        ThrowIfFailed();
    }

    public void Dispose()
    {
        if (!full.IsAddingCompleted) full.CompleteAdding();
        thread.Join();
    }

    private void Add(in Call call)
    {
        batch[count++] = call;
        if (count == BatchSize) Hand();
    }

    private void Hand()
    {
        ThrowIfFailed();
        if (count == 0) return;
        Call[] ready = batch;
        int n = count;
        if (n < BatchSize) Array.Resize(ref ready, n); // the last, partial batch
        if (!full.Add(ready)) throw new InvalidOperationException("output handed over after Complete");
        batch = spare.TryTake(out Call[]? reuse) ? reuse : new Call[BatchSize];
        count = 0;
    }

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref failure) is { } e) throw new OutputFailedException(e);
    }

    private void Drain()
    {
        while (full.Take(out Call[] calls))
        {
            if (failure is null)
            {
                try
                {
                    foreach (Call c in calls)
                    {
                        switch (c.Kind)
                        {
                            case Kind.Started: inner.SessionStarted(c.Session); break;
                            case Kind.Output: inner.Output(c.Session, c.Output!); break;
                            default: inner.SessionEnded(c.Session, c.Summary!); break;
                        }
                    }
                }
                catch (Exception e)
                {
                    // Keep consuming (so the reader never blocks on a full queue) but write no more.
                    Volatile.Write(ref failure, e);
                }
            }
            if (calls.Length == BatchSize)
            {
                Array.Clear(calls); // no references kept alive by a spare batch
                spare.Add(calls);
            }
        }
    }
}

/// <summary>Writing the output failed (not reading the input): told apart so the message names the right thing.</summary>
internal sealed class OutputFailedException(Exception inner) : IOException($"writing the output failed: {inner.Message}", inner);
