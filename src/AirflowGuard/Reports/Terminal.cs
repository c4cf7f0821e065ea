namespace AirflowGuard.Reports;

/// <summary>Whether to colour text output: <c>--color always|never|auto</c>; auto colours a terminal unless NO_COLOR is set.</summary>
internal static class Terminal
{
    public static bool Colour(string mode, TextWriter output) => mode switch
    {
        "always" => true,
        "never" => false,
        _ => ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")),
    };
}
