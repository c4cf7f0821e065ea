namespace AirflowGuard.Cli;

/// <summary>A small option reader: --name value, --name=value and bare arguments.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly List<string> _arguments = [];

    private Options()
    {
    }

    public IReadOnlyList<string> Arguments => _arguments;

    public bool Help { get; private init; }

    public static Options Parse(string[] args, string command, params string[] known)
    {
        var options = new Options { Help = args.Contains("--help") || args.Contains("-h") };
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                continue;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                options._arguments.Add(arg);
                continue;
            }
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg[2..] : arg[2..equals];
            if (!known.Contains(name))
            {
                throw new UsageException($"{command}: unknown option --{name}; options are {string.Join(", ", known.Select(k => "--" + k))}");
            }
            string value;
            if (equals < 0 && name is "read-secrets" or "cluster")
            {
                options._values[name] = "true";
                continue;
            }
            if (equals >= 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Length)
            {
                value = args[++i];
            }
            else
            {
                throw new UsageException($"{command}: --{name} needs a value");
            }
            options._values[name] = value;
        }
        return options;
    }

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public string Choice(string name, string fallback, params string[] allowed)
    {
        var value = Get(name) ?? fallback;
        return allowed.Contains(value)
            ? value
            : throw new UsageException($"--{name} must be one of {string.Join(", ", allowed)}, found \"{value}\"");
    }
}
