using System.Text.Json;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>Containers: their image, command, env, envFrom, mounts, security context and resources.</summary>
public static partial class PodReader
{
    // lists filled while reading and copied out at their exact size: no growth garbage per container
    [ThreadStatic]
    private static List<EnvVarView>? t_env;

    [ThreadStatic]
    private static List<MountView>? t_mounts;

    private static List<ContainerView> ReadContainers(ref JsonCursor reader, ref ObjectState state, bool isInit, string listPointer, in JsonPath path)
    {
        if (!IsList(ref reader, path, state.Errors))
        {
            return [];
        }
        var list = new List<ContainerView>();
        var index = 0;
        while (JsonTokens.NextItem(ref reader))
        {
            var itemPath = path.Index(index);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                state.Errors.Add(itemPath, $"expected a container object, found {JsonTokens.Describe(ref reader)}");
                reader.Skip();
                index++;
                continue;
            }
            list.Add(ReadContainer(ref reader, ref state, isInit, index, listPointer, itemPath));
            index++;
        }
        return list;
    }

    private static ContainerView ReadContainer(ref JsonCursor reader, ref ObjectState state, bool isInit, int index, string listPointer, in JsonPath path)
    {
        var errors = state.Errors;
        string? name = null, image = null;
        long? runAsUser = null, runAsGroup = null;
        IReadOnlyList<string> command = [], args = [];
        EnvVarView[]? env = null;
        List<EnvFromView>? envFrom = null;
        MountView[]? mounts = null;
        JsonSource? resources = null;
        while (JsonTokens.NextField(ref reader, out var field))
        {
            if (field.SequenceEqual("name"u8))
            {
                name = Text(ref reader, shared: true, path, "name", errors);
            }
            else if (field.SequenceEqual("image"u8))
            {
                image = Text(ref reader, shared: true, path, "image", errors);
            }
            else if (field.SequenceEqual("env"u8))
            {
                env = ReadEnv(ref reader, path.Child("env"), errors);
            }
            else if (field.SequenceEqual("volumeMounts"u8))
            {
                mounts = ReadMounts(ref reader, path.Child("volumeMounts"), errors);
            }
            else if (field.SequenceEqual("envFrom"u8))
            {
                envFrom = ReadEnvFrom(ref reader, path.Child("envFrom"), errors);
            }
            else if (field.SequenceEqual("command"u8))
            {
                command = StringList(ref reader, shared: false, path, "command", errors); // a command line may carry a password
            }
            else if (field.SequenceEqual("args"u8))
            {
                args = StringList(ref reader, shared: false, path, "args", errors);
            }
            else if (field.SequenceEqual("securityContext"u8))
            {
                (runAsUser, runAsGroup) = ReadContainerSecurity(ref reader, path.Child("securityContext"), errors);
            }
            else if (field.SequenceEqual("resources"u8))
            {
                resources = Resources(ref reader, ref state, path.Child("resources"));
            }
            else
            {
                reader.Skip();
            }
        }
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(path.Child("name"), "a container needs a name");
            name = $"#{index}";
        }
        return new ContainerView
        {
            Name = name,
            Image = image,
            IsInit = isInit,
            Index = index,
            ListPointer = listPointer,
            Command = command,
            Args = args,
            Env = env ?? [],
            HasEnvArray = env is not null,
            EnvFrom = envFrom ?? [],
            Mounts = mounts ?? [],
            HasMountsArray = mounts is not null,
            RunAsUser = runAsUser,
            RunAsGroup = runAsGroup,
            ResourcesSource = resources,
        };
    }

    /// <summary>The resources object, kept as its bytes: only expression rules read it.</summary>
    private static JsonSource? Resources(ref JsonCursor reader, ref ObjectState state, in JsonPath path)
    {
        if (!IsObject(ref reader, path, state.Errors))
        {
            return null;
        }
        var start = state.Offset + (int)reader.TokenStartIndex;
        reader.Skip();
        return JsonSource.FromUtf8(state.Utf8[start..(state.Offset + (int)reader.BytesConsumed)]);
    }

    private static (long? User, long? Group) ReadContainerSecurity(ref JsonCursor reader, in JsonPath path, InputErrors errors)
    {
        if (!IsObject(ref reader, path, errors))
        {
            return (null, null);
        }
        long? user = null, group = null;
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
            else
            {
                reader.Skip();
            }
        }
        return (user, group);
    }

    /// <summary>The env list (null when absent); an item without a name is reported and left out.</summary>
    private static EnvVarView[]? ReadEnv(ref JsonCursor reader, in JsonPath path, InputErrors errors)
    {
        if (!IsList(ref reader, path, errors))
        {
            return null;
        }
        var list = t_env ??= new List<EnvVarView>(64);
        list.Clear();
        var index = 0;
        while (JsonTokens.NextItem(ref reader))
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                errors.Add(path.Index(index), $"expected an env var object, found {JsonTokens.Describe(ref reader)}");
                reader.Skip();
            }
            else if (ReadEnvVar(ref reader, index, path, errors) is { } item)
            {
                list.Add(item);
            }
            index++;
        }
        EnvVarView[] env = [.. list];
        list.Clear();
        return env;
    }

    /// <summary>Env var <paramref name="index"/> of the list at <paramref name="list"/>; its path is made only to report something.</summary>
    private static EnvVarView? ReadEnvVar(ref JsonCursor reader, int index, in JsonPath list, InputErrors errors)
    {
        string? name = null, value = null, wrongValue = null;
        EnvSource? from = null;
        while (JsonTokens.NextField(ref reader, out var field))
        {
            if (field.SequenceEqual("name"u8))
            {
                name = Text(ref reader, shared: true, list, index, "name", errors);
            }
            else if (field.SequenceEqual("value"u8))
            {
                // may be a secret: never pooled; a wrong type matters only when it is the value used
                (value, wrongValue) = reader.TokenType switch
                {
                    JsonTokenType.String => (reader.GetString(), (string?)null),
                    JsonTokenType.Null => ((string?)null, (string?)null),
                    _ => (null, JsonTokens.Describe(ref reader)),
                };
                reader.Skip();
            }
            else if (field.SequenceEqual("valueFrom"u8))
            {
                var item = list.Index(index); // one path step for both: each copies the path's pending segments
                from = IsObject(ref reader, item, "valueFrom", errors) ? ReadEnvSource(ref reader, item.Child("valueFrom"), errors) : null;
            }
            else
            {
                reader.Skip();
            }
        }
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(list.Index(index).Child("name"), "an env var needs a name");
            return null;
        }
        if (from is not { } source)
        {
            if (wrongValue is not null)
            {
                errors.Add(list.Index(index).Child("value"), $"expected a string, found {wrongValue}");
            }
            return new EnvVarView(name, index, EnvValueSource.Literal, value ?? "", null, null);
        }
        return source.Secret is { } secret ? new EnvVarView(name, index, EnvValueSource.SecretKey, null, secret.Name, secret.Key)
            : source.ConfigMap is { } configMap ? new EnvVarView(name, index, EnvValueSource.ConfigMapKey, null, configMap.Name, configMap.Key)
            : new EnvVarView(name, index, source.HasFieldRef ? EnvValueSource.Field : EnvValueSource.ResourceField, null, null, null);
    }

    /// <summary>Where an env var's value comes from: a Secret key wins over a ConfigMap key, then a field, else a resource.</summary>
    private struct EnvSource
    {
        public (string? Name, string? Key)? Secret, ConfigMap;
        public bool HasFieldRef;
    }

    private static EnvSource ReadEnvSource(ref JsonCursor reader, in JsonPath path, InputErrors errors)
    {
        var source = default(EnvSource);
        while (JsonTokens.NextField(ref reader, out var field))
        {
            if (field.SequenceEqual("secretKeyRef"u8))
            {
                source.Secret = KeyRef(ref reader, path.Child("secretKeyRef"), errors);
            }
            else if (field.SequenceEqual("configMapKeyRef"u8))
            {
                source.ConfigMap = KeyRef(ref reader, path.Child("configMapKeyRef"), errors);
            }
            else
            {
                source.HasFieldRef |= field.SequenceEqual("fieldRef"u8); // present, whatever its value
                reader.Skip();
            }
        }
        return source;
    }

    /// <summary>A secretKeyRef / configMapKeyRef: its name and key; null when absent or null.</summary>
    private static (string? Name, string? Key)? KeyRef(ref JsonCursor reader, in JsonPath path, InputErrors errors)
    {
        if (!IsObject(ref reader, path, errors))
        {
            return null;
        }
        string? name = null, key = null;
        while (JsonTokens.NextField(ref reader, out var field))
        {
            if (field.SequenceEqual("name"u8))
            {
                name = Text(ref reader, shared: true, path, "name", errors);
            }
            else if (field.SequenceEqual("key"u8))
            {
                key = Text(ref reader, shared: true, path, "key", errors);
            }
            else
            {
                reader.Skip();
            }
        }
        return (name, key);
    }

    private static List<EnvFromView>? ReadEnvFrom(ref JsonCursor reader, in JsonPath path, InputErrors errors)
    {
        if (!IsList(ref reader, path, errors))
        {
            return null;
        }
        var list = new List<EnvFromView>();
        var index = 0;
        while (JsonTokens.NextItem(ref reader))
        {
            var itemPath = path.Index(index++);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                errors.Add(itemPath, $"expected an envFrom object, found {JsonTokens.Describe(ref reader)}");
                reader.Skip();
                continue;
            }
            string? prefix = null, configMap = null, secret = null;
            while (JsonTokens.NextField(ref reader, out var field))
            {
                if (field.SequenceEqual("prefix"u8))
                {
                    prefix = Text(ref reader, shared: true, itemPath, "prefix", errors);
                }
                else if (field.SequenceEqual("configMapRef"u8))
                {
                    configMap = RefName(ref reader, itemPath.Child("configMapRef"), errors);
                }
                else if (field.SequenceEqual("secretRef"u8))
                {
                    secret = RefName(ref reader, itemPath.Child("secretRef"), errors);
                }
                else
                {
                    reader.Skip();
                }
            }
            // a ConfigMap reference with a name wins over a Secret one
            if (configMap is not null)
            {
                list.Add(new EnvFromView(EnvFromKind.ConfigMap, configMap, prefix));
            }
            else if (secret is not null)
            {
                list.Add(new EnvFromView(EnvFromKind.Secret, secret, prefix));
            }
        }
        return list;
    }

    /// <summary>The name of a configMapRef / secretRef (null when absent or null).</summary>
    private static string? RefName(ref JsonCursor reader, in JsonPath path, InputErrors errors)
    {
        if (!IsObject(ref reader, path, errors))
        {
            return null;
        }
        string? name = null;
        while (JsonTokens.NextField(ref reader, out var field))
        {
            if (field.SequenceEqual("name"u8))
            {
                name = Text(ref reader, shared: true, path, "name", errors);
            }
            else
            {
                reader.Skip();
            }
        }
        return name;
    }

    /// <summary>The volume mounts (null when absent); one without a name or a mountPath is reported and left out.</summary>
    private static MountView[]? ReadMounts(ref JsonCursor reader, in JsonPath path, InputErrors errors)
    {
        if (!IsList(ref reader, path, errors))
        {
            return null;
        }
        var list = t_mounts ??= new List<MountView>(16);
        list.Clear();
        var index = 0;
        while (JsonTokens.NextItem(ref reader))
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                errors.Add(path.Index(index), $"expected a volume mount object, found {JsonTokens.Describe(ref reader)}");
                reader.Skip();
                index++;
                continue;
            }
            string? name = null, mountPath = null, subPath = null, subPathExpr = null;
            var readOnly = false;
            while (JsonTokens.NextField(ref reader, out var field))
            {
                if (field.SequenceEqual("name"u8))
                {
                    name = Text(ref reader, shared: true, path, index, "name", errors);
                }
                else if (field.SequenceEqual("mountPath"u8))
                {
                    mountPath = Text(ref reader, shared: true, path, index, "mountPath", errors);
                }
                else if (field.SequenceEqual("subPath"u8))
                {
                    subPath = Text(ref reader, shared: true, path, index, "subPath", errors);
                }
                else if (field.SequenceEqual("subPathExpr"u8))
                {
                    subPathExpr = Text(ref reader, shared: true, path, index, "subPathExpr", errors);
                }
                else if (field.SequenceEqual("readOnly"u8))
                {
                    readOnly = Bool(ref reader, path, index, "readOnly", errors);
                }
                else
                {
                    reader.Skip();
                }
            }
            if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(mountPath))
            {
                errors.Add(path.Index(index), "a volume mount needs a name and a mountPath");
            }
            else
            {
                var sub = subPath ?? subPathExpr;
                list.Add(new MountView(name, mountPath, string.IsNullOrEmpty(sub) ? null : sub, readOnly, index));
            }
            index++;
        }
        MountView[] mounts = [.. list];
        list.Clear();
        return mounts;
    }
}
