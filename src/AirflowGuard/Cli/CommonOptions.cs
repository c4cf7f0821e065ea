using System.CommandLine;
using System.CommandLine.Completions;

namespace AirflowGuard.Cli;

/// <summary>The options several commands share, declared once.</summary>
internal static class CommonOptions
{
    public static Option<string?> Policies() => new("--policies")
    {
        Description = "comma-separated policy files or folders (default: the bundled pack)",
        HelpName = "PATHS",
    };

    public static Option<string?> Namespace(string description = "namespace for objects that name none (default: default)") => new("--namespace", "-n")
    {
        Description = description,
        HelpName = "NS",
    };

    public static Option<string> Output(params string[] formats)
    {
        var option = Choice("--output", "output format", formats);
        option.Aliases.Add("-o");
        return option;
    }

    public static Option<string> FailOn() =>
        Choice("--fail-on", "enforce: exit 1 on enforced violations; warn: also on warnings; never: exit 0 whatever is found", "enforce", "warn", "never");

    public static Option<string?> Kubeconfig() => new("--kubeconfig")
    {
        Description = "kubeconfig file (default: in-cluster configuration, else ~/.kube/config)",
        HelpName = "FILE",
    };

    public static Option<string?> Server() => new("--server")
    {
        Description = "an unauthenticated API server URL (kubectl proxy)",
        HelpName = "URL",
    };

    /// <summary>One of <paramref name="values"/>, the first by default; completed from them; any other value refused naming them all.</summary>
    public static Option<string> Choice(string name, string description, params string[] values)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            HelpName = string.Join('|', values),
            DefaultValueFactory = _ => values[0],
        };
        option.CompletionSources.Add(_ => values.Select(v => new CompletionItem(v)));
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!values.Contains(value))
            {
                result.AddError($"{name} must be one of {string.Join(", ", values)}, found \"{value}\"");
            }
        });
        return option;
    }

    /// <summary>Manifest files or folders; - reads stdin.</summary>
    public static Argument<string[]> Paths(string name, string description)
    {
        var argument = new Argument<string[]>(name)
        {
            Description = description,
            Arity = ArgumentArity.ZeroOrMore,
        };
        // an unknown -flag is a typo, not a file name (a file really named so is written ./-name); - alone is stdin
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => t.Value.Length > 1 && t.Value[0] == '-'))
            {
                result.AddError($"unknown option {token.Value}");
            }
        });
        return argument;
    }
}
