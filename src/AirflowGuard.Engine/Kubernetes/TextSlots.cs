namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// The fixed tables of strings that <see cref="TextPool"/> and <see cref="Airflow.TextSearch"/> keep, a text in the
/// bucket of four slots its hash picks. A bucket fills from its first slot; when all four are taken, as in a server
/// that has run long enough to see more texts than the table holds, the text goes over one of the four taken in turn,
/// so that two texts of one bucket that push each other out soon settle in different slots (over the slot its hash
/// names, they never would). With pairs of slots instead, the 208 KB review's 2,435 env names (in 8,192 pairs, a
/// uniform hash) left some 30 pairs with three or four names, whose names then pushed each other out on every read:
/// about 50 names were new strings on every request, and searched again by every text search, and 358 once the pool
/// was full of other texts. Four slots a bucket leave a handful. Safe across threads: a slot is written with one
/// reference write, and two writers of one empty slot only lose one text, which is read again as new.
/// </summary>
internal static class TextSlots
{
    public const int Ways = 4;

    // which slot of a full bucket a new text goes over: counted up by every such write, unsynchronised (a lost count only
    // repeats a choice)
    private static int s_turn;

    /// <summary>The first slot of the bucket that holds <paramref name="slot"/>.</summary>
    public static int Bucket(int slot) => slot & ~(Ways - 1);

    /// <summary>Keeps <paramref name="text"/> in the first empty slot of <paramref name="slot"/>'s bucket, else over the next one in turn.</summary>
    public static void Put(string?[] table, int slot, string text)
    {
        var bucket = Bucket(slot);
        for (var way = 0; way < Ways; way++)
        {
            if (Volatile.Read(ref table[bucket + way]) is null)
            {
                Volatile.Write(ref table[bucket + way], text);
                return;
            }
        }
        Volatile.Write(ref table[bucket + (s_turn++ & (Ways - 1))], text);
    }
}
