using System.Text.Json;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>The pod spec: containers, init containers, volumes and the pod's security context.</summary>
public static partial class PodReader
{
    /// <summary>What a pod spec holds, as read.</summary>
    private sealed class Spec
    {
        public List<ContainerView> Containers = [];
        public List<ContainerView> InitContainers = [];
        public List<VolumeView> Volumes = [];
        public bool HasVolumesArray;
        public PodSecurity Security = PodSecurity.None;
        public string? ServiceAccount;

        /// <summary>The containers field had a wrong value (already reported): no second error that there are none.</summary>
        public bool ContainersWrong;
    }

    private static Spec? ReadSpec(ref JsonCursor reader, ref ObjectState state, string specPointer, in JsonPath path)
    {
        if (!IsObject(ref reader, path, state.Errors))
        {
            return null;
        }
        var spec = new Spec();
        while (JsonTokens.NextField(ref reader, out var field))
        {
            if (field.SequenceEqual("containers"u8))
            {
                var before = state.Errors.All.Count;
                spec.Containers = ReadContainers(ref reader, ref state, isInit: false, specPointer + "/containers", path.Child("containers"));
                spec.ContainersWrong = state.Errors.All.Count > before;
            }
            else if (field.SequenceEqual("initContainers"u8))
            {
                spec.InitContainers = ReadContainers(ref reader, ref state, isInit: true, specPointer + "/initContainers", path.Child("initContainers"));
            }
            else if (field.SequenceEqual("volumes"u8))
            {
                spec.Volumes = ReadVolumes(ref reader, specPointer, path.Child("volumes"), state.Errors, out spec.HasVolumesArray);
            }
            else if (field.SequenceEqual("securityContext"u8))
            {
                spec.Security = ReadPodSecurity(ref reader, path.Child("securityContext"), state.Errors);
            }
            else if (field.SequenceEqual("serviceAccountName"u8))
            {
                spec.ServiceAccount = Text(ref reader, shared: true, path, "serviceAccountName", state.Errors) ?? spec.ServiceAccount;
            }
            else if (field.SequenceEqual("serviceAccount"u8))
            {
                // the deprecated spelling, which the API server still copies into serviceAccountName when that is unset
                var deprecated = Text(ref reader, shared: true, path, "serviceAccount", state.Errors);
                spec.ServiceAccount ??= deprecated;
            }
            else
            {
                reader.Skip();
            }
        }
        return spec;
    }

    private static PodSecurity ReadPodSecurity(ref JsonCursor reader, in JsonPath path, InputErrors errors)
    {
        if (!IsObject(ref reader, path, errors))
        {
            return PodSecurity.None;
        }
        long? user = null, group = null, fsGroup = null;
        List<long>? supplemental = null;
        while (JsonTokens.NextField(ref reader, out var field))
        {
            if (field.SequenceEqual("runAsUser"u8))
            {
                user = Integer(ref reader, path, "runAsUser", errors);
            }
            else if (field.SequenceEqual("runAsGroup"u8))
            {
                group = Integer(ref reader, path, "runAsGroup", errors);
            }
            else if (field.SequenceEqual("fsGroup"u8))
            {
                fsGroup = Integer(ref reader, path, "fsGroup", errors);
            }
            else if (field.SequenceEqual("supplementalGroups"u8))
            {
                supplemental = IntegerList(ref reader, path.Child("supplementalGroups"), errors);
            }
            else
            {
                reader.Skip();
            }
        }
        return user is null && group is null && fsGroup is null && supplemental is not { Count: > 0 }
            ? PodSecurity.None
            : new PodSecurity(user, group, fsGroup) { SupplementalGroups = supplemental ?? [] };
    }

    /// <summary>A list of integers (supplementalGroups); each item that is not one is reported with its path.</summary>
    private static List<long>? IntegerList(ref JsonCursor reader, in JsonPath path, InputErrors errors)
    {
        if (!IsList(ref reader, path, errors))
        {
            return null;
        }
        var list = new List<long>();
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
            {
                list.Add(value);
            }
            else
            {
                errors.Add(path.Index(index), $"expected an integer, found {JsonTokens.Describe(ref reader)}");
                reader.Skip();
            }
            index++;
        }
        return list;
    }

    /// <summary>The pod's volumes; each pointer is made from <paramref name="specPointer"/> when first asked for.</summary>
    private static List<VolumeView> ReadVolumes(ref JsonCursor reader, string specPointer, in JsonPath path, InputErrors errors, out bool present)
    {
        present = false;
        if (!IsList(ref reader, path, errors))
        {
            return [];
        }
        present = true;
        var list = new List<VolumeView>();
        var index = 0;
        var bare = specPointer == "/spec";
        while (JsonTokens.NextItem(ref reader))
        {
            var itemPath = path.Index(index);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                errors.Add(itemPath, $"expected a volume object, found {JsonTokens.Describe(ref reader)}");
                reader.Skip();
                index++;
                continue;
            }
            var source = VolumeSourceReader.Read(ref reader, itemPath, errors, out var name);
            if (string.IsNullOrEmpty(name))
            {
                errors.Add(itemPath.Child("name"), "a volume needs a name");
            }
            else
            {
                // a bare pod's pointer, /spec/volumes/{index}, is made when asked for
                list.Add(bare ? new VolumeView(name, index, source) : new VolumeView(name, index, source) { Pointer = JsonPointer.Append(specPointer + "/volumes", index) });
            }
            index++;
        }
        return list;
    }
}
