using System.Diagnostics;

namespace AirflowGuard.Checking;

/// <summary>
/// <c>check --chart</c>: the chart rendered by the helm on PATH (or <c>AIRFLOWGUARD_HELM</c>), as <c>helm template</c>
/// renders it for an install: values files in the order given, then <c>--set</c>s. A render that fails is an error
/// with helm's own message, never a clean check of nothing.
/// </summary>
internal static class HelmRender
{
    /// <summary>The helm binary: AIRFLOWGUARD_HELM, else the first <c>helm</c> on PATH; null when there is none.</summary>
    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable("AIRFLOWGUARD_HELM") is { Length: > 0 } configured)
        {
            return configured;
        }
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, OperatingSystem.IsWindows() ? "helm.exe" : "helm");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>Renders <paramref name="chart"/> (a folder, a packaged chart or a repository reference) into <paramref name="output"/>; null, or helm's complaint.</summary>
    public static string? Render(string helm, string chart, IReadOnlyList<string> valuesFiles, IReadOnlyList<string> sets, string release, string @namespace, string output)
    {
        foreach (var file in valuesFiles)
        {
            if (!File.Exists(file))
            {
                return $"--values {file}: no such file";
            }
        }
        var start = new ProcessStartInfo(helm)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["template", release, chart, "--namespace", @namespace])
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var file in valuesFiles)
        {
            start.ArgumentList.Add("--values");
            start.ArgumentList.Add(file);
        }
        foreach (var set in sets)
        {
            start.ArgumentList.Add("--set");
            start.ArgumentList.Add(set);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"cannot run {helm}: {ex.Message}";
        }
        using (process)
        using (var file = File.Create(output))
        {
            var errors = process.StandardError.ReadToEndAsync();
            process.StandardOutput.BaseStream.CopyTo(file);
            process.WaitForExit();
            var stderr = errors.GetAwaiter().GetResult().Trim();
            return process.ExitCode == 0 ? null : $"helm template {chart} failed (exit {process.ExitCode}): {(stderr.Length == 0 ? "no message" : stderr)}";
        }
    }
}
