using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Storage;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Engine.Policies;

/// <summary>Reads <c>kind: DriverCatalog</c> and <c>kind: AirflowRecognition</c> documents.</summary>
internal static class CatalogReader
{
    private static readonly string[] TemplateNames = ["uid", "gid", "umask", "fileMode", "dirMode", "allowOther"];

    public static List<DriverInfo> ReadDrivers(YamlNodeReader reader, MapNode document, string name)
    {
        var drivers = new List<DriverInfo>();
        var spec = reader.Map(document.Get("spec"), "spec", "drivers");
        if (spec is null)
        {
            reader.Error(document.Node, "a DriverCatalog needs spec.drivers");
            return drivers;
        }
        foreach (var node in spec.List("drivers", required: true))
        {
            var map = reader.Map(node, "a driver", "driver", "title", "class", "store", "classOverrides", "mountOptions", "defaultClassNames", "readWriteManyClass");
            var driver = map?.String("driver", required: true);
            if (map is null || driver is null)
            {
                continue;
            }
            var backing = ReadClass(reader, map, "class", required: true) ?? BackingClass.Unknown;
            var overrides = new List<ClassOverride>();
            foreach (var overrideNode in map.List("classOverrides"))
            {
                var o = reader.Map(overrideNode, "a class override", "attribute", "equals", "class");
                if (o?.String("attribute", required: true) is { } attribute && o.String("equals", required: true) is { } value &&
                    ReadClass(reader, o, "class", required: true) is { } overrideClass)
                {
                    overrides.Add(new ClassOverride(attribute, value, overrideClass));
                }
            }
            var store = ObjectStore.None;
            if (map.String("store") is { } storeText && !ObjectStores.TryParse(storeText, out store))
            {
                reader.Error(map.Get("store")!, $"store must be one of s3, gcs, azure-blob, oss, found \"{storeText}\"");
            }
            drivers.Add(new DriverInfo(driver, map.String("title") ?? driver, backing)
            {
                Store = store,
                Pattern = driver.AsSpan().IndexOfAny('*', '?') >= 0 ? new Glob(driver) : null,
                ClassOverrides = overrides,
                DefaultClassNames = map.StringList("defaultClassNames").Select(n => n.Value).ToList(),
                ReadWriteManyClass = ReadClass(reader, map, "readWriteManyClass", required: false),
                MountOptions = ReadSyntax(reader, map),
                Source = $"{reader.File} ({name})",
            });
        }
        return drivers;
    }

    private static BackingClass? ReadClass(YamlNodeReader reader, MapNode map, string key, bool required)
    {
        var text = map.String(key, required);
        if (text is null)
        {
            return null;
        }
        if (BackingClassNames.TryParse(text, out var classes) && classes.Length == 1)
        {
            return classes[0];
        }
        reader.Error(map.Get(key)!, $"class must be one of object-storage-fuse, shared-filesystem, block, host-path, empty-dir, config, found \"{text}\"");
        return null;
    }

    private static MountOptionSyntax? ReadSyntax(YamlNodeReader reader, MapNode driver)
    {
        var map = reader.Map(driver.Get("mountOptions"), "mountOptions", ["inline", "persistentVolume", .. TemplateNames]);
        if (map is null)
        {
            return null;
        }
        var templates = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in TemplateNames)
        {
            if (map.String(name) is not { } template)
            {
                continue;
            }
            var placeholder = "{" + name + "}";
            if (name != "allowOther" && !template.Contains(placeholder, StringComparison.Ordinal))
            {
                reader.Error(map.Get(name)!, $"the {name} template must contain {placeholder}, e.g. \"{name.ToLowerInvariant()}={placeholder}\"");
            }
            templates[name] = template;
        }
        return new MountOptionSyntax
        {
            Inline = ReadPlace(reader, map, "inline", allowList: false),
            PersistentVolume = ReadPlace(reader, map, "persistentVolume", allowList: true),
            Templates = templates,
        };
    }

    private static OptionPlace? ReadPlace(YamlNodeReader reader, MapNode options, string key, bool allowList)
    {
        var map = reader.Map(options.Get(key), key, "style", "attribute");
        if (map is null)
        {
            return null;
        }
        var style = map.String("style", required: true);
        OptionStyle? parsed = style switch
        {
            "flags" => OptionStyle.Flags,
            "comma" => OptionStyle.Comma,
            "list" when allowList => OptionStyle.List,
            _ => null,
        };
        if (style is not null && parsed is null)
        {
            reader.Error(map.Get("style")!, allowList
                ? $"style must be flags, comma or list, found \"{style}\""
                : $"inline volumes take options in a volume attribute: style must be flags or comma, found \"{style}\"");
            return null;
        }
        var attribute = map.String("attribute");
        if (parsed is OptionStyle.Flags or OptionStyle.Comma && attribute is null)
        {
            reader.Error(map.Node, $"style {style} needs the volumeAttributes key that holds the options, e.g. attribute: otherOpts");
            return null;
        }
        if (parsed == OptionStyle.List && attribute is not null)
        {
            reader.Error(map.Get("attribute")!, "style list writes spec.mountOptions; it takes no attribute");
        }
        return parsed is null ? null : new OptionPlace(parsed.Value, attribute);
    }

    public static RecognitionRules ReadRecognition(YamlNodeReader reader, MapNode document, string name)
    {
        var spec = reader.Map(document.Get("spec"), "spec", "components", "airflowContainers", "sidecars", "gitSync");
        if (spec is null)
        {
            reader.Error(document.Node, "an AirflowRecognition needs a spec");
            return RecognitionRules.Empty;
        }
        var source = $"{reader.File} ({name})";
        var selectors = new List<ComponentSelector>();
        foreach (var node in spec.List("components"))
        {
            var map = reader.Map(node, "a component selector", "component", "labels");
            var text = map?.String("component", required: true);
            if (map is null || text is null)
            {
                continue;
            }
            if (!AirflowComponentNames.TryParse(text, out var component))
            {
                var suggestion = NameSuggestion.Closest(text, AirflowComponentNames.All);
                reader.Error(map.Get("component")!, $"unknown component \"{text}\"" + (suggestion is null ? "" : $"; did you mean \"{suggestion}\"?"));
                continue;
            }
            var labels = PolicyReader.ReadLabelGlobs(map, "labels");
            if (labels.Count == 0)
            {
                reader.Error(map.Node, "a component selector needs labels; without them it would match every pod");
                continue;
            }
            selectors.Add(new ComponentSelector(component, labels, source));
        }
        var airflow = reader.Map(spec.Get("airflowContainers"), "airflowContainers", "names", "images");
        var sidecars = reader.Map(spec.Get("sidecars"), "sidecars", "names", "images");
        var gitSync = reader.Map(spec.Get("gitSync"), "gitSync", "images");
        return new RecognitionRules
        {
            Components = selectors,
            AirflowContainerNames = Globs(airflow, "names"),
            AirflowImages = Globs(airflow, "images"),
            SidecarNames = Globs(sidecars, "names"),
            SidecarImages = Globs(sidecars, "images"),
            GitSyncImages = Globs(gitSync, "images"),
            Sources = [source],
        };
    }

    private static List<Glob> Globs(MapNode? map, string key) =>
        map is null ? [] : map.StringList(key).Select(n => new Glob(n.Value)).ToList();
}
