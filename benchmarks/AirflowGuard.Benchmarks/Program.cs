using AirflowGuard.Benchmarks;
using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "cluster-memory")
{
    return await ClusterMemory.RunAsync(args);
}
if (args.Length > 0 && args[0] == "reports-load")
{
    return await ReportsLoad.RunAsync(args);
}
if (args.Length > 0 && args[0] == "profile")
{
    return Profile.Run(args);
}
// --aot: the JIT job and a Native AOT job side by side (AotJobs)
if (AotJobs.TryCreate(args, out var rest, out var config))
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest, config);
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
