using System.Text;
using AirflowGuard.Webhook.Hosting;

namespace AirflowGuard.Webhook.Tests;

/// <summary>The buffer every log line goes through on its way to stdout.</summary>
public class LogOutputTests
{
    [Fact]
    public void Lines_FromManyThreads_ArriveWholeAndEachThreadsInOrder_AcrossManyBuffers()
    {
        var stream = new MemoryStream();
        var output = new LogOutput(stream, TimeSpan.FromMilliseconds(50));
        const int Threads = 4, PerThread = 600; // about 330 KB: five buffers, within the eight it may hold unwritten
        Parallel.For(0, Threads, t =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                output.WriteLine(Encoding.UTF8.GetBytes($"{{\"thread\":{t},\"line\":{i},\"pad\":\"{new string('x', 100)}\"}}"));
            }
        });
        output.Dispose();

        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(0, output.DroppedLines);
        Assert.Equal(Threads * PerThread, lines.Length);
        var next = new int[Threads];
        foreach (var line in lines)
        {
            using var json = System.Text.Json.JsonDocument.Parse(line);
            var thread = json.RootElement.GetProperty("thread").GetInt32();
            Assert.Equal(next[thread]++, json.RootElement.GetProperty("line").GetInt32());
        }
    }

    [Fact]
    public void BufferedLines_AreWrittenByTheTimer_WithoutAnyoneFlushing()
    {
        var stream = new LockedStream();
        using var output = new LogOutput(stream, TimeSpan.FromMilliseconds(20));
        output.WriteLine("{\"a\":1}"u8);

        Assert.True(SpinWait.SpinUntil(() => stream.Text == "{\"a\":1}\n", TimeSpan.FromSeconds(5)), stream.Text);
    }

    [Fact]
    public async Task WhenStdoutBlocks_WritersAreNotHeldUp_AndTheDroppedLinesAreReportedOnceItFlows()
    {
        var stream = new LockedStream();
        stream.Block();
        var output = new LogOutput(stream, TimeSpan.FromHours(1));
        var line = Encoding.UTF8.GetBytes(new string('y', 1000));
        // 1 MB against eight 64 KiB buffers, none of which can be written: about half is dropped
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                output.WriteLine(line);
            }
        });
        Assert.Same(writer, await Task.WhenAny(writer, Task.Delay(TimeSpan.FromSeconds(10)))); // else a writer waited for the blocked stream
        Assert.True(output.DroppedLines > 400, $"{output.DroppedLines} dropped");

        stream.Unblock();
        output.Dispose();
        var lines = stream.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines.Where(l => l.StartsWith('y')), l => Assert.Equal(1000, l.Length));
        Assert.Equal(1000 - output.DroppedLines, lines.Count(l => l.StartsWith('y')));
        Assert.Contains(lines, l => l.Contains("log lines dropped so far", StringComparison.Ordinal) && l.Contains($"\"Count\":{output.DroppedLines}", StringComparison.Ordinal));
    }

    [Fact]
    public void LinesOfAThreadThatHasEnded_AreWrittenByTheTimer()
    {
        var stream = new LockedStream();
        using var output = new LogOutput(stream, TimeSpan.FromMilliseconds(20));
        var thread = new Thread(() => output.WriteLine("{\"ended\":1}"u8));
        thread.Start();
        thread.Join();

        Assert.True(SpinWait.SpinUntil(() => stream.Text == "{\"ended\":1}\n", TimeSpan.FromSeconds(5)), stream.Text);
    }

    [Fact]
    public void LinesWrittenWhileTheOutputIsDisposed_AreEachWrittenOnce_EachThreadsInOrder()
    {
        var stream = new LockedStream();
        var output = new LogOutput(stream, TimeSpan.FromMilliseconds(5));
        const int Threads = 4, PerThread = 3_000;
        using var started = new CountdownEvent(Threads);
        var writers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            started.Signal();
            for (var i = 0; i < PerThread; i++)
            {
                output.WriteLine(Encoding.UTF8.GetBytes($"{t} {i}"));
            }
        })).ToList();
        writers.ForEach(w => w.Start());
        started.Wait();
        output.Dispose(); // while the writers write: before it their lines are buffered, after it written at once
        writers.ForEach(w => w.Join());

        var next = new int[Threads];
        foreach (var line in stream.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            var thread = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(next[thread]++, int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Equal(0, output.DroppedLines);
        Assert.All(next, count => Assert.Equal(PerThread, count));
    }

    [Fact]
    public void AfterDispose_LinesAreStillWritten_OneByOne()
    {
        var stream = new LockedStream();
        var output = new LogOutput(stream, TimeSpan.FromHours(1));
        output.WriteLine("first"u8);
        output.Dispose();
        output.WriteLine("late"u8);

        Assert.Equal("first\nlate\n", stream.Text);
    }

    /// <summary>A stream whose writes can be held up, as a full pipe holds up a write to stdout.</summary>
    private sealed class LockedStream : MemoryStream
    {
        private readonly ManualResetEventSlim _open = new(initialState: true);
        private readonly Lock _gate = new();

        public string Text
        {
            get
            {
                lock (_gate)
                {
                    return Encoding.UTF8.GetString(ToArray());
                }
            }
        }

        public void Block() => _open.Reset();

        public void Unblock() => _open.Set();

        public override void Write(byte[] buffer, int offset, int count)
        {
            _open.Wait();
            lock (_gate)
            {
                base.Write(buffer, offset, count);
            }
        }

        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override void WriteByte(byte value) => Write([value], 0, 1);
    }
}
