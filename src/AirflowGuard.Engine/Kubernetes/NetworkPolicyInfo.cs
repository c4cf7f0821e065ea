using System.Text.Json;
using static AirflowGuard.Engine.Kubernetes.JsonRead;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// A NetworkPolicy's ingress side: which pods it selects and what may reach them. A pod selected by any policy with
/// Ingress accepts only what one of the policies' rules admits (Kubernetes unions the policies).
/// </summary>
public sealed record NetworkPolicyInfo(string Namespace, string Name, KubeLabelSelector PodSelector, bool RestrictsIngress, IReadOnlyList<NetworkPolicyIngressRule> Ingress)
{
    public static NetworkPolicyInfo Read(JsonElement obj, in JsonPath path, InputErrors errors)
    {
        var meta = PodReader.ReadMetadata(obj, path, errors);
        var specPath = path.Child("spec");
        var empty = new KubeLabelSelector(ObjectMetadata.NoEntries, []);
        if (Object(obj, "spec"u8, path, errors) is not { } spec)
        {
            return new NetworkPolicyInfo(meta.Namespace ?? "default", meta.Name ?? "", empty, false, []);
        }
        var types = StringList(spec, "policyTypes"u8, specPath, errors);
        var rules = new List<NetworkPolicyIngressRule>();
        if (Array(spec, "ingress"u8, specPath, errors) is { } ingress)
        {
            var index = 0;
            foreach (var rule in ingress.EnumerateArray())
            {
                var at = specPath.Child("ingress").Index(index++);
                if (rule.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(at, "expected an object");
                    continue;
                }
                rules.Add(new NetworkPolicyIngressRule(Ports(rule, at, errors), Peers(rule, at, errors)));
            }
        }
        return new NetworkPolicyInfo(meta.Namespace ?? "default", meta.Name ?? "", KubeLabelSelector.Read(spec, "podSelector"u8, specPath, errors) ?? empty,
            // without policyTypes, a policy restricts ingress always (and egress only when it has egress rules)
            types.Count == 0 || types.Contains("Ingress"), rules);
    }

    private static List<NetworkPolicyPort> Ports(JsonElement rule, in JsonPath at, InputErrors errors)
    {
        var ports = new List<NetworkPolicyPort>();
        if (Array(rule, "ports"u8, at, errors) is not { } list)
        {
            return ports;
        }
        var index = 0;
        foreach (var port in list.EnumerateArray())
        {
            var portPath = at.Child("ports").Index(index++);
            if (port.ValueKind != JsonValueKind.Object)
            {
                errors.Add(portPath, "expected an object");
                continue;
            }
            var value = Field(port, "port"u8);
            ports.Add(new NetworkPolicyPort(
                value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null,
                value.ValueKind == JsonValueKind.String ? value.GetString() : null,
                Integer(port, "endPort"u8, portPath, errors) is { } end ? (int)end : null,
                String(port, "protocol"u8, portPath, errors) ?? "TCP"));
        }
        return ports;
    }

    private static List<NetworkPolicyPeer> Peers(JsonElement rule, in JsonPath at, InputErrors errors)
    {
        var peers = new List<NetworkPolicyPeer>();
        if (Array(rule, "from"u8, at, errors) is not { } list)
        {
            return peers;
        }
        var index = 0;
        foreach (var peer in list.EnumerateArray())
        {
            var peerPath = at.Child("from").Index(index++);
            if (peer.ValueKind != JsonValueKind.Object)
            {
                errors.Add(peerPath, "expected an object");
                continue;
            }
            peers.Add(new NetworkPolicyPeer(KubeLabelSelector.Read(peer, "podSelector"u8, peerPath, errors),
                KubeLabelSelector.Read(peer, "namespaceSelector"u8, peerPath, errors), Field(peer, "ipBlock"u8).ValueKind == JsonValueKind.Object));
        }
        return peers;
    }

    /// <summary>
    /// Whether a pod of this namespace labelled <paramref name="from"/> may reach <paramref name="port"/> (named
    /// <paramref name="portName"/> in the target container) of a pod this policy selects. Peers whose reach cannot be
    /// told here (other namespaces chosen by namespace labels, IP blocks that may hold pod addresses) count as admitting.
    /// </summary>
    public bool Admits(IReadOnlyDictionary<string, string> from, int port, string? portName) =>
        !RestrictsIngress || Ingress.Any(rule => rule.Admits(from, port, portName));
}

/// <summary>One ingress rule: no ports is every port, no peers is every source.</summary>
public sealed record NetworkPolicyIngressRule(IReadOnlyList<NetworkPolicyPort> Ports, IReadOnlyList<NetworkPolicyPeer> From)
{
    public bool Admits(IReadOnlyDictionary<string, string> from, int port, string? portName) =>
        (Ports.Count == 0 || Ports.Any(p => p.Covers(port, portName))) &&
        (From.Count == 0 || From.Any(peer => peer.MayAdmit(from)));
}

/// <summary>A port of an ingress rule, by number (with an optional range end) or by container port name.</summary>
public sealed record NetworkPolicyPort(int? Number, string? Name, int? EndPort, string Protocol)
{
    public bool Covers(int port, string? portName) =>
        Protocol == "TCP" && (Number is null && Name is null || // every port
            Number is { } start && (port == start || EndPort is { } end && port >= start && port <= end) ||
            Name is not null && (portName is null || Name == portName)); // a named port whose container port is not known may be this one
}

/// <summary>A source of an ingress rule.</summary>
public sealed record NetworkPolicyPeer(KubeLabelSelector? PodSelector, KubeLabelSelector? NamespaceSelector, bool IpBlock)
{
    /// <summary>
    /// Whether a pod of the policy's own namespace labelled <paramref name="labels"/> may be admitted by this peer: its pod
    /// selector matches (a namespace selector beside it may select the own namespace too; taken as doing so).
    /// </summary>
    public bool MayAdmit(IReadOnlyDictionary<string, string> labels) =>
        IpBlock || // pod addresses may fall in the block: cannot be told from manifests
        PodSelector is null || PodSelector.Matches(labels);
}
