using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Environments;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains;
using BenchmarkDotNet.Toolchains.NativeAot;

namespace AirflowGuard.Benchmarks;

/// <summary>
/// <c>--aot</c>: every selected benchmark twice, on the JIT (.NET 10, as <c>dotnet run</c> and the
/// tests run the code) and compiled with Native AOT (as the image ships it), each with its own
/// baseline and ratios. The run length comes from <c>--job</c> (short, medium, long, dry, default).
/// </summary>
internal static class AotJobs
{
    public static bool TryCreate(string[] args, out string[] rest, out IConfig config)
    {
        rest = args;
        config = DefaultConfig.Instance;
        if (Array.IndexOf(args, "--aot") < 0)
        {
            return false;
        }
        var remaining = new List<string>();
        var baseJob = Job.Default;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--aot")
            {
                continue;
            }
            if (args[i] is "--job" or "-j" && i + 1 < args.Length)
            {
                baseJob = args[++i].ToLowerInvariant() switch
                {
                    "short" => Job.ShortRun,
                    "medium" => Job.MediumRun,
                    "long" => Job.LongRun,
                    "dry" => Job.Dry,
                    "default" => Job.Default,
                    var other => throw new ArgumentException($"--job {other}: with --aot, one of short, medium, long, dry, default"),
                };
                continue;
            }
            remaining.Add(args[i]);
        }
        rest = [.. remaining];
        config = DefaultConfig.Instance
            .AddJob(baseJob.WithRuntime(CoreRuntime.Core10_0).WithId("JIT"))
            .AddJob(baseJob.WithRuntime(NativeAotRuntime.Net10_0).WithToolchain(NativeAot()).WithId("NativeAOT"));
        return true;
    }

    /// <summary>
    /// BenchmarkDotNet's own <c>--runtimes nativeaot10.0</c> writes the .NET team's nightly package
    /// feed into the generated project's NuGet.config; that feed is unreachable here and its restore
    /// fails (NU1301). <c>UseNuGet</c> needs some feed, so it gets an empty local folder, and no
    /// ILCompiler version: the generated project sets PublishAot and restores the ILCompiler the SDK
    /// names through the machine's usual sources, as <c>dotnet publish -p:PublishAot=true</c> of the
    /// product does. The instruction set is left at the compiler's default, as in the product's
    /// publish (BenchmarkDotNet would otherwise compile for this machine's CPU, "native").
    /// </summary>
    private static IToolchain NativeAot()
    {
        var emptyFeed = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "airflowguard-benchmarks-no-extra-feed")).FullName;
        return NativeAotToolchain.CreateBuilder()
            .UseNuGet("", emptyFeed)
            .IlcInstructionSet("")
            .TargetFrameworkMoniker("net10.0")
            .DisplayName("NativeAOT 10.0")
            .ToToolchain();
    }
}
