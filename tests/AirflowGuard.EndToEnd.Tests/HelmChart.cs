using System.Diagnostics;

namespace AirflowGuard.EndToEnd.Tests;

/// <summary>deploy/helm/airflowguard rendered by helm (installed by deploy/tools/install-helm.sh) as a user's `helm template` renders it.</summary>
internal static class HelmChart
{
    private static readonly Lazy<string> Helm = new(() => Run(Path.Combine(Repository.Root, "deploy", "tools", "install-helm.sh")).Trim());

    /// <summary>Installs helm if it is missing: called first, so that no helm fails before minutes of image build, not after.</summary>
    public static void EnsureHelm() => _ = Helm.Value;

    /// <summary>The rendered manifests as one YAML stream; the `helm test` hook is left out (it is not part of an install).</summary>
    public static string Render(string release, string releaseNamespace, IEnumerable<string> values)
    {
        var chart = Path.Combine(Repository.Root, "deploy", "helm", "airflowguard");
        return Run(Helm.Value, ["template", release, chart, "--namespace", releaseNamespace, "--skip-tests", .. values]);
    }

    private static string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {error.Result}");
        }
        return output.Result;
    }
}
