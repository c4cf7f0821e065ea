namespace AirflowGuard.Checking;

/// <summary>
/// Maps a sequence on the thread pool and hands the results back in input order: <c>check</c> parses and
/// evaluates documents on every core while its reports stay in file order. At most <c>window</c> items are in
/// flight, so memory stays bounded however long the input.
/// </summary>
internal static class OrderedParallel
{
    public static IEnumerable<TResult> Select<T, TResult>(IEnumerable<T> items, Func<T, TResult> work, int window)
    {
        if (Environment.ProcessorCount == 1)
        {
            foreach (var item in items)
            {
                yield return work(item);
            }
            yield break;
        }
        var pending = new Queue<Task<TResult>>(window);
        try
        {
            foreach (var item in items)
            {
                pending.Enqueue(Task.Run(() => work(item)));
                if (pending.Count >= window)
                {
                    yield return pending.Dequeue().GetAwaiter().GetResult();
                }
            }
            while (pending.Count > 0)
            {
                yield return pending.Dequeue().GetAwaiter().GetResult();
            }
        }
        finally
        {
            // stopped early (an exception, or the caller broke off): let work in flight finish before returning
            while (pending.Count > 0)
            {
                try
                {
                    pending.Dequeue().Wait();
                }
                catch (AggregateException)
                {
                    // the first failure is already on its way to the caller
                }
            }
        }
    }
}
