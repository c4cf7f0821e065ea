using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AirflowGuard.Cli.Tests.ChartRun;

/// <summary>
/// Does for the rendered Deployment what the kubelet and the container runtime would: mounts the
/// rendered (or cert-manager's) Secrets and ConfigMaps as files under a temporary root, starts the
/// image's entrypoint (the built binary) with the container's args and the image's and container's
/// env, and gives the pod its own ports (each containerPort is mapped to a free host port, in the
/// args too, as a pod network namespace would make them free). No cluster configuration is present:
/// no service-account token, no KUBERNETES_SERVICE_HOST, an empty HOME.
/// </summary>
internal sealed partial class ChartPod : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ChartPod(string root, JsonObject container, IReadOnlyDictionary<int, int> ports, Process process)
    {
        Root = root;
        Container = container;
        Ports = ports;
        _process = process;
    }

    public string Root { get; }

    public JsonObject Container { get; }

    /// <summary>Container port → host port.</summary>
    public IReadOnlyDictionary<int, int> Ports { get; }

    public IReadOnlyList<string> Args => Container["args"]?.AsArray().Select(a => (string)a!).ToList() ?? [];

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public bool Exited => _process.HasExited;

    /// <param name="secrets">Secrets a controller would create (cert-manager), by name.</param>
    /// <param name="dockerfile">The image's Dockerfile: its ENTRYPOINT and ENV.</param>
    public static ChartPod Start(RenderedChart chart, string binary, string dockerfile, IReadOnlyDictionary<string, JsonObject> secrets)
    {
        var deployment = chart.Single("Deployment");
        var spec = deployment["spec"]!["template"]!["spec"]!.AsObject();
        var container = spec["containers"]!.AsArray().Single()!.AsObject();
        var root = Directory.CreateTempSubdirectory("airflowguard-chart-run-").FullName;

        var mounts = new List<(string MountPath, string HostPath)>();
        foreach (var mount in container["volumeMounts"]?.AsArray() ?? [])
        {
            var name = (string)mount!["name"]!;
            var mountPath = (string)mount["mountPath"]!;
            var hostPath = Path.Combine(root, mountPath.TrimStart('/'));
            Directory.CreateDirectory(hostPath);
            var volume = spec["volumes"]!.AsArray().Single(v => (string?)v!["name"] == name)!;
            if (volume["secret"] is { } secretSource)
            {
                var secretName = (string)secretSource["secretName"]!;
                var secret = chart.Find("Secret", secretName) ?? secrets.GetValueOrDefault(secretName)
                    ?? throw new InvalidOperationException($"volume {name}: Secret {secretName} is neither rendered nor created by a controller; the kubelet would never start the pod");
                foreach (var (key, value) in secret["data"]?.AsObject() ?? [])
                {
                    File.WriteAllBytes(Path.Combine(hostPath, key), Convert.FromBase64String((string)value!));
                }
            }
            else if (volume["configMap"] is { } configMapSource)
            {
                var configMapName = (string)configMapSource["name"]!;
                var configMap = chart.Find("ConfigMap", configMapName)
                    ?? throw new InvalidOperationException($"volume {name}: ConfigMap {configMapName} is not rendered");
                foreach (var (key, value) in configMap["data"]?.AsObject() ?? [])
                {
                    File.WriteAllText(Path.Combine(hostPath, key), (string)value!);
                }
            }
            else if (volume["emptyDir"] is null)
            {
                throw new InvalidOperationException($"volume {name}: only secret, configMap and emptyDir volumes are materialised");
            }
            mounts.Add((mountPath, hostPath));
        }
        mounts.Sort((a, b) => b.MountPath.Length.CompareTo(a.MountPath.Length));

        var ports = new Dictionary<int, int>();
        foreach (var port in container["ports"]?.AsArray() ?? [])
        {
            ports[(int)port!["containerPort"]!] = FreePort();
        }

        var image = ImageConfig.Read(dockerfile);
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        foreach (var arg in image.Entrypoint.Skip(1).Concat(container["args"]?.AsArray().Select(a => (string)a!) ?? []))
        {
            start.ArgumentList.Add(MapPorts(MapPaths(arg, mounts), ports));
        }
        start.Environment.Clear();
        foreach (var name in new[] { "PATH", "DOTNET_ROOT", "DOTNET_ROOT_X64", "DOTNET_CLI_TELEMETRY_OPTOUT" })
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                start.Environment[name] = value;
            }
        }
        start.Environment["HOME"] = Directory.CreateDirectory(Path.Combine(root, "home")).FullName;
        start.Environment["TMPDIR"] = Directory.CreateDirectory(Path.Combine(root, "tmp")).FullName;
        foreach (var (name, value) in image.Env)
        {
            start.Environment[name] = MapPaths(value, mounts);
        }
        foreach (var variable in container["env"]?.AsArray() ?? [])
        {
            start.Environment[(string)variable!["name"]!] = MapPaths((string?)variable["value"] ?? throw new InvalidOperationException("env valueFrom is not materialised"), mounts);
        }

        var process = new Process { StartInfo = start };
        var pod = new ChartPod(root, container, ports, process);
        process.OutputDataReceived += (_, e) => pod.Append(e.Data);
        process.ErrorDataReceived += (_, e) => pod.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return pod;
    }

    /// <summary>The host port of a container port given by name or number.</summary>
    public int HostPort(JsonNode port)
    {
        var containerPort = port.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? (int)port
            : (int)Container["ports"]!.AsArray().Single(p => (string?)p!["name"] == (string)port!)!["containerPort"]!;
        return Ports[containerPort];
    }

    /// <summary>One probe as the kubelet runs it: HTTP(S) GET, the server certificate not verified, no client certificate.</summary>
    public async Task<(int Status, string Body)> ProbeAsync(string probeName)
    {
        var probe = Container[probeName]!["httpGet"]!;
        var scheme = ((string?)probe["scheme"] ?? "HTTP").ToLowerInvariant();
        using var handler = new SocketsHttpHandler();
#pragma warning disable CA5359 // the kubelet does not verify a probe's server certificate; neither does its stand-in
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds((int?)Container[probeName]!["timeoutSeconds"] ?? 1) };
        try
        {
            using var response = await client.GetAsync(new Uri($"{scheme}://127.0.0.1:{HostPort(probe["port"]!)}{(string)probe["path"]!}"));
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (0, ex.Message + (ex.InnerException is { } inner ? ": " + inner.Message : ""));
        }
    }

    /// <summary>The startup probe every periodSeconds until it passes or failureThreshold runs out.</summary>
    public Task<(bool Started, string Last)> WaitForStartupAsync() => PassesAsync("startupProbe");

    /// <summary>
    /// A probe as the kubelet judges it: tried every periodSeconds, failed only after failureThreshold
    /// failures in a row (one slow answer on a loaded node restarts nothing).
    /// </summary>
    public async Task<(bool Passed, string Last)> PassesAsync(string probeName)
    {
        var probe = Container[probeName]!;
        var period = (int?)probe["periodSeconds"] ?? 10;
        var threshold = (int?)probe["failureThreshold"] ?? 3;
        var last = "";
        for (var i = 0; i < threshold && !Exited; i++)
        {
            var (status, body) = await ProbeAsync(probeName);
            if (status is >= 200 and < 400)
            {
                return (true, body);
            }
            last = $"{status} {body}";
            if (i + 1 < threshold)
            {
                await Task.Delay(TimeSpan.FromSeconds(period));
            }
        }
        return (false, Exited ? $"the process exited with {_process.ExitCode}" : last);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private static string MapPaths(string value, List<(string MountPath, string HostPath)> mounts)
    {
        // one pass, longest mount path first: a mapped path is never mapped again
        var alternatives = string.Join('|', mounts.Select(m => Regex.Escape(m.MountPath)));
        return Regex.Replace(value, $"(^|=|,)({alternatives})(?=/|$|,)",
            m => m.Groups[1].Value + mounts.First(mount => mount.MountPath == m.Groups[2].Value).HostPath);
    }

    private static string MapPorts(string arg, Dictionary<int, int> ports) =>
        PortArgument().Match(arg) is { Success: true } match && ports.TryGetValue(int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), out var host)
            ? $"{match.Groups[1].Value}={host}"
            : arg;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("^(--[a-z-]*port)=([0-9]+)$")]
    private static partial Regex PortArgument();
}
