using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "cluster-memory")
{
    return await AirflowGuard.Benchmarks.ClusterMemory.RunAsync(args);
}
if (args.Length > 0 && args[0] == "profile")
{
    return AirflowGuard.Benchmarks.Profile.Run(args);
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
