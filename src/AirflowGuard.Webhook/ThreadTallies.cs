using Prometheus;

namespace AirflowGuard.Webhook;

/// <summary>
/// The per-request metrics (requests, findings, durations), tallied per thread and added into their Prometheus
/// counters and histograms when the registry is collected (each /metrics scrape, through
/// <see cref="CollectorRegistry.AddBeforeCollectCallback(Action)"/>). Counting straight into the Prometheus children
/// made both cores that answer requests update the same counters atomically, a shared cache line moved between the
/// cores for every count: at the server that cost more than working the counts out (docs/performance.md, "Issue 27:
/// counts and log lines per thread"). A thread writes only its own cells; a collection sums every thread's. The cells of a thread
/// that has ended are folded into the totals at the next collection, so no count is lost and none is kept twice.
/// </summary>
internal sealed class ThreadTallies
{
    private readonly Lock _gate = new();
    private readonly List<Cells> _threads = [];
    private readonly PerThread<Cells> _mine;

    // per slot, under the gate: what it adds into, and what was added so far (by live threads' cells and ended ones')
    private readonly List<Target> _targets = [];
    private long[] _addedCounts = [];
    private double[] _addedSums = [];
    private long[] _endedCounts = [];
    private double[] _endedSums = [];

    public ThreadTallies() => _mine = new PerThread<Cells>(NewCells);

    /// <summary>A slot that adds one to <paramref name="counter"/> each time it is counted.</summary>
    public int Counter(ICounter counter)
    {
        lock (_gate)
        {
            _targets.Add(new Target(counter, null, null, 0));
            Grow();
            return _targets.Count - 1;
        }
    }

    /// <summary>The first of the slots of <paramref name="histogram"/>: one per bucket of <paramref name="buckets"/>, and one past the last.</summary>
    public int Histogram(IHistogram histogram, double[] buckets)
    {
        lock (_gate)
        {
            var first = _targets.Count;
            for (var bucket = 0; bucket <= buckets.Length; bucket++)
            {
                _targets.Add(new Target(null, histogram, buckets, bucket));
            }
            Grow();
            return first;
        }
    }

    /// <summary>Counts one in <paramref name="slot"/> (a <see cref="Counter"/>'s), on this thread's cells.</summary>
    public void Count(int slot) => Mine(slot).Counts[slot]++;

    /// <summary>Observes <paramref name="value"/> in the histogram whose first slot is <paramref name="first"/>, on this thread's cells.</summary>
    public void Observe(int first, double[] buckets, double value)
    {
        var bucket = 0;
        while (bucket < buckets.Length && value > buckets[bucket])
        {
            bucket++; // Prometheus's "le": a value equal to a bound is in that bound's bucket
        }
        var cells = Mine(first + bucket);
        cells.Counts[first + bucket]++;
        cells.Sums[first + bucket] += value;
    }

    /// <summary>Adds what every thread counted since the last collection into the Prometheus children.</summary>
    public void Collect()
    {
        lock (_gate)
        {
            var slots = _targets.Count;
            var counts = new long[slots];
            var sums = new double[slots];
            Array.Copy(_endedCounts, counts, slots);
            Array.Copy(_endedSums, sums, slots);
            for (var i = _threads.Count - 1; i >= 0; i--)
            {
                var thread = _threads[i];
                var ended = !thread.Owner.IsAlive; // read before the cells: an ended thread wrote its last count before
                var cells = Volatile.Read(ref thread.Current);
                for (var slot = 0; slot < Math.Min(slots, cells.Counts.Length); slot++)
                {
                    counts[slot] += Volatile.Read(ref cells.Counts[slot]);
                    sums[slot] += cells.Sums[slot];
                }
                if (ended)
                {
                    for (var slot = 0; slot < Math.Min(slots, cells.Counts.Length); slot++)
                    {
                        _endedCounts[slot] += cells.Counts[slot];
                        _endedSums[slot] += cells.Sums[slot];
                    }
                    _threads.RemoveAt(i);
                }
            }
            for (var slot = 0; slot < slots; slot++)
            {
                var added = counts[slot] - _addedCounts[slot];
                if (added <= 0)
                {
                    continue;
                }
                var target = _targets[slot];
                if (target.Counter is { } counter)
                {
                    counter.Inc(added);
                }
                else
                {
                    // the mean of the new observations lies in their bucket, and mean × count is their sum: the
                    // histogram gets the same buckets and the same sum as if each had been observed in turn
                    target.Histogram!.Observe(InBucket((sums[slot] - _addedSums[slot]) / added, target.Bucket, target.Bounds!), added);
                }
                _addedCounts[slot] = counts[slot];
                _addedSums[slot] = sums[slot];
            }
        }
    }

    /// <summary><paramref name="mean"/> held inside its bucket, against rounding at a bound.</summary>
    private static double InBucket(double mean, int bucket, double[] bounds)
    {
        var above = bucket == 0 ? double.NegativeInfinity : bounds[bucket - 1];
        var atMost = bucket == bounds.Length ? double.PositiveInfinity : bounds[bucket];
        return Math.Min(Math.Max(mean, Math.BitIncrement(above)), atMost);
    }

    private Cells.Arrays Mine(int slot)
    {
        var mine = _mine.Value;
        var cells = mine.Current;
        if (slot >= cells.Counts.Length)
        {
            // a slot made after this thread's cells: only this thread writes them, so the copy loses no count
            int size;
            lock (_gate)
            {
                size = _targets.Count;
            }
            var grown = new Cells.Arrays(new long[size], new double[size]);
            cells.Counts.CopyTo(grown.Counts, 0);
            cells.Sums.CopyTo(grown.Sums, 0);
            Volatile.Write(ref mine.Current, grown);
            cells = grown;
        }
        return cells;
    }

    private Cells NewCells()
    {
        lock (_gate)
        {
            var cells = new Cells(Thread.CurrentThread, new Cells.Arrays(new long[_targets.Count], new double[_targets.Count]));
            _threads.Add(cells);
            return cells;
        }
    }

    /// <summary>Makes room for new slots in the totals. Under the gate.</summary>
    private void Grow()
    {
        var slots = _targets.Count;
        Array.Resize(ref _addedCounts, slots);
        Array.Resize(ref _addedSums, slots);
        Array.Resize(ref _endedCounts, slots);
        Array.Resize(ref _endedSums, slots);
    }

    private sealed class Cells(Thread owner, Cells.Arrays current)
    {
        public readonly Thread Owner = owner;
        public Arrays Current = current;

        /// <summary>A thread's counts and sums per slot, replaced together when slots are added.</summary>
        public sealed record Arrays(long[] Counts, double[] Sums);
    }

    /// <summary>What a slot adds into: a counter, or one bucket of a histogram.</summary>
    private sealed record Target(ICounter? Counter, IHistogram? Histogram, double[]? Bounds, int Bucket);
}
