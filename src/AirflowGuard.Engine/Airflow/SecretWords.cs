namespace AirflowGuard.Engine.Airflow;

/// <summary>
/// The words that make Airflow's secrets masker hide a value by its name (<c>DEFAULT_SENSITIVE_FIELDS</c> in
/// airflow/utils/log/secrets_masker.py, 2.10): a variable, a connection extra, an env var whose name holds one of them,
/// in any case, is treated as a secret.
/// </summary>
internal static class SecretWords
{
    public static readonly IReadOnlyList<string> All =
        ["access_token", "api_key", "apikey", "authorization", "passphrase", "passwd", "password", "private_key", "secret", "token", "keyfile_dict", "service_account"];

    // one vectorised search for all the words at once, in any case (the words are ASCII)
    private static readonly System.Buffers.SearchValues<string> Words = System.Buffers.SearchValues.Create([.. All], StringComparison.OrdinalIgnoreCase);

    // env names come from the text pool as the same strings on every pod: each is searched once (as many slots as GlobSet's)
    private static readonly TextSearch Names = new(Words, 16384);

    /// <summary>Whether <paramref name="name"/> holds one of the words (an env var's <c>_</c> and any case as Airflow compares them).</summary>
    public static bool In(string name) => Names.ContainsAny(name);

    /// <summary>The same for part of a name (not remembered: a slice is never the same string twice).</summary>
    public static bool In(ReadOnlySpan<char> name) => name.ContainsAny(Words);
}
