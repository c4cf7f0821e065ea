using System.CommandLine;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Cli;

/// <summary>
/// <c>airflowguard schema</c>: prints the JSON Schema of policy files (every rule and mutation kind this binary reads),
/// for editors; <c>policies/schema/airflowguard-policy.schema.json</c> is its output.
/// </summary>
internal static class SchemaCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("schema", "print the JSON Schema of policy files (for editors: yaml-language-server, VS Code)");
        command.SetAction(_ =>
        {
            output.Write(PolicySchema.Text());
            return CommandLine.Clean;
        });
        return command;
    }
}
