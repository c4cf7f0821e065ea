using System.Text;
using System.Text.Json.Nodes;

namespace AirflowGuard.Webhook.Tests.Support;

/// <summary>The kinds of damage done to an AdmissionReview body.</summary>
public enum Mutation
{
    ByteFlips,
    Truncation,
    InvalidUtf8,
    LoneSurrogate,
    DeepNesting,
    HugeNumber,
    WrongType,
    DuplicateKey,
    NonObjectClaimTemplates,
}

/// <summary>
/// Mutated AdmissionReview bodies from a fixed seed: valid reviews of Airflow pods and workloads,
/// damaged in one of the <see cref="Mutation"/> ways. Deterministic for a seed, so a failure can be
/// replayed from the seed and the body's number.
/// </summary>
public sealed class AdmissionFuzzer(int seed)
{
    private static readonly string[] Seeds = BuildSeeds();
    private static readonly byte[][] InvalidUtf8 = [[0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF]];
    private static readonly string[] HugeNumbers = ["1e400", "-1e400", "99999999999999999999999999999999", "1.7976931348623157e309", "-0", "0.000000000000000000000000000001e-400", "18446744073709551616"];
    private readonly Random _random = new(seed);

    public (Mutation Mutation, byte[] Body) Next()
    {
        var mutation = (Mutation)_random.Next(Enum.GetValues<Mutation>().Length);
        var seedText = Seeds[_random.Next(Seeds.Length)];
        return (mutation, Mutate(mutation, seedText));
    }

    private byte[] Mutate(Mutation mutation, string text)
    {
        switch (mutation)
        {
            case Mutation.ByteFlips:
                {
                    var bytes = Encoding.UTF8.GetBytes(text);
                    for (var i = _random.Next(1, 9); i > 0; i--)
                    {
                        bytes[_random.Next(bytes.Length)] = (byte)_random.Next(256);
                    }
                    return bytes;
                }
            case Mutation.Truncation:
                {
                    var bytes = Encoding.UTF8.GetBytes(text);
                    return bytes[.._random.Next(bytes.Length)];
                }
            case Mutation.InvalidUtf8:
                {
                    var bytes = Encoding.UTF8.GetBytes(text);
                    var at = StringStart(bytes);
                    return [.. bytes[..at], .. InvalidUtf8[_random.Next(InvalidUtf8.Length)], .. bytes[at..]];
                }
            case Mutation.LoneSurrogate:
                {
                    var bytes = Encoding.UTF8.GetBytes(text);
                    var at = StringStart(bytes);
                    var surrogate = _random.Next(3) switch { 0 => "\\ud800", 1 => "\\udfff", _ => "\\ud83d\\u0041" };
                    return [.. bytes[..at], .. Encoding.ASCII.GetBytes(surrogate), .. bytes[at..]];
                }
            case Mutation.DeepNesting:
                {
                    var node = JsonNode.Parse(text)!;
                    var depth = _random.Next(3) == 0 ? _random.Next(1000, 20_000) : _random.Next(10, 200);
                    var wrapped = _random.Next(2) == 0
                        ? new string('[', depth) + "1" + new string(']', depth)
                        : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                    return Encoding.UTF8.GetBytes(Replace(node, "\u0000NEST\u0000").Replace("\"\\u0000NEST\\u0000\"", wrapped, StringComparison.Ordinal));
                }
            case Mutation.HugeNumber:
                {
                    var node = JsonNode.Parse(text)!;
                    var number = HugeNumbers[_random.Next(HugeNumbers.Length)];
                    return Encoding.UTF8.GetBytes(Replace(node, "\u0000NUM\u0000").Replace("\"\\u0000NUM\\u0000\"", number, StringComparison.Ordinal));
                }
            case Mutation.WrongType:
                {
                    var node = JsonNode.Parse(text)!;
                    return Encoding.UTF8.GetBytes(Replace(node, RandomValue()));
                }
            case Mutation.DuplicateKey:
                {
                    var opening = Positions(text, '{');
                    var at = opening[_random.Next(opening.Count)] + 1;
                    var key = _random.Next(4) switch { 0 => "uid", 1 => "kind", 2 => "request", _ => "spec" };
                    var value = _random.Next(3) switch { 0 => "\"dup\"", 1 => "{}", _ => "[1]" };
                    return Encoding.UTF8.GetBytes(text[..at] + $"\"{key}\":{value}," + text[at..]);
                }
            default:
                {
                    var node = JsonNode.Parse(text)!;
                    var templates = new JsonArray();
                    for (var i = _random.Next(1, 4); i > 0; i--)
                    {
                        templates.Add(RandomValue());
                    }
                    if (node["request"]?["object"] is JsonObject obj)
                    {
                        obj["spec"] ??= new JsonObject();
                        if (obj["spec"] is JsonObject spec)
                        {
                            spec["volumeClaimTemplates"] = templates;
                        }
                    }
                    return Encoding.UTF8.GetBytes(node.ToJsonString());
                }
        }
    }

    /// <summary>Replaces one node anywhere in the tree (root included) with <paramref name="replacement"/>.</summary>
    private string Replace(JsonNode root, JsonNode? replacement)
    {
        var nodes = new List<JsonNode>();
        var stack = new Stack<JsonNode>([root]);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            nodes.Add(node);
            foreach (var child in node switch { JsonObject o => o.Select(p => p.Value), JsonArray a => a.AsEnumerable(), _ => [] })
            {
                if (child is not null)
                {
                    stack.Push(child);
                }
            }
        }
        var target = nodes[_random.Next(nodes.Count)];
        if (target.Parent is null)
        {
            return replacement?.ToJsonString() ?? "null";
        }
        target.ReplaceWith(replacement);
        return root.ToJsonString();
    }

    private string Replace(JsonNode root, string marker) => Replace(root, JsonValue.Create(marker));

    private JsonNode? RandomValue() => _random.Next(7) switch
    {
        0 => JsonValue.Create(_random.Next()),
        1 => JsonValue.Create("s" + _random.Next()),
        2 => new JsonArray(JsonValue.Create(1), JsonValue.Create("x")),
        3 => new JsonObject { ["k"] = _random.Next() },
        4 => JsonValue.Create(_random.Next(2) == 0),
        5 => JsonValue.Create(-1.5e300),
        _ => null,
    };

    /// <summary>A position just inside a string literal (after an opening quote).</summary>
    private int StringStart(byte[] bytes)
    {
        var quotes = new List<int>();
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '"')
            {
                quotes.Add(i + 1);
            }
        }
        return quotes.Count == 0 ? 0 : quotes[_random.Next(quotes.Count)];
    }

    private static List<int> Positions(string text, char c)
    {
        var positions = new List<int>();
        for (var i = text.IndexOf(c, StringComparison.Ordinal); i >= 0; i = text.IndexOf(c, i + 1))
        {
            positions.Add(i);
        }
        return positions;
    }

    private static string[] BuildSeeds()
    {
        const string statefulSet = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: { name: airflow-worker, namespace: airflow, labels: { tier: airflow, component: worker, release: airflow } }
            spec:
              serviceName: airflow-worker
              selector: { matchLabels: { component: worker } }
              volumeClaimTemplates:
                - metadata: { name: logs }
                  spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 10Gi } } }
              template:
                metadata: { labels: { tier: airflow, component: worker, release: airflow } }
                spec:
                  containers:
                    - name: worker
                      image: apache/airflow:2.9.3
                      args: [airflow, celery, worker]
                      env: [{ name: AIRFLOW__DATABASE__SQL_ALCHEMY_CONN, value: "postgresql://airflow:p%40ss@db/airflow" }]
                      volumeMounts: [{ name: logs, mountPath: /opt/airflow/logs }, { name: dags, mountPath: /opt/airflow/dags, readOnly: true }]
                  volumes: [{ name: dags, persistentVolumeClaim: { claimName: dags } }]
            """;
        return
        [
            Reviews.Create(Reviews.SafeScheduler),
            Reviews.Create(Reviews.TaskPodWithEphemeralLogs),
            Reviews.Create(Reviews.SchedulerWithHostPathAndPassword),
            Reviews.Create(Reviews.SchedulerWithInlineOss),
            Reviews.Update(Reviews.SafeScheduler, Reviews.SchedulerWithHostPathAndPassword),
            Reviews.Create(statefulSet),
        ];
    }
}
