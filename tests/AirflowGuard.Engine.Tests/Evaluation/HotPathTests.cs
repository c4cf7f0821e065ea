using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Tests;

/// <summary>
/// The fast paths of the hot path give the same answers as the plain code they replace: compiled glob shapes
/// against the general matcher, lazy JSON paths against string building, pooled text against fresh strings.
/// </summary>
public sealed class HotPathTests
{
    private static readonly string[] Patterns =
    [
        "AIRFLOW_CONN_*", "*FERNET_KEY*", "*_SECRET", "AIRFLOW__*__KEY", "*", "**", "exact", "", "a*b*c", "?ir*", "*dag*", "*DAG*",
        "*.csi.k8s.io", "x**y", "*a*", "a*", "*a",
    ];

    private static readonly string[] Texts =
    [
        "", "a", "b", "ab", "abc", "aXbYc", "AIRFLOW_CONN_DB", "AIRFLOW_CONN_", "AIRFLOW__CORE__FERNET_KEY", "FERNET_KEY", "JWT_SECRET", "_SECRET",
        "AIRFLOW__WEBSERVER__KEY", "AIRFLOW____KEY", "exact", "exactly", "air", "dags", "my-dag-volume", "DAGS", "blob.csi.k8s.io", "xy", "xay",
        "ba", "aa",
    ];

    [Fact]
    public void FewNames_answers_as_a_HashSet_does_below_and_past_its_four_inline_names()
    {
        // names from one small alphabet, so that every length of set meets repeats, equal texts in other strings and names never added
        var random = new Random(27);
        for (var round = 0; round < 2_000; round++)
        {
            var few = default(Evaluation.FewNames);
            var expected = new HashSet<string>(StringComparer.Ordinal);
            var steps = random.Next(1, 14);
            for (var step = 0; step < steps; step++)
            {
                var name = new string((char)('a' + random.Next(9)), random.Next(1, 3)); // a fresh string each time: compared by text
                Assert.Equal(expected.Contains(name), few.Contains(name));
                Assert.Equal(expected.Add(name), few.Add(name));
            }
            foreach (var probe in (string[])["a", "b", "cc", "i", "j", "", "aaa"])
            {
                Assert.Equal(expected.Contains(probe), few.Contains(probe));
            }
        }
    }

    [Fact]
    public void Airflow_cfg_source_texts_are_made_once_and_stay_right_past_their_limit()
    {
        var cfg = AirflowCfg.Parse("[core]\ndags_folder = /dags\n");
        var place = cfg.Place("/opt/airflow/airflow.cfg", "ConfigMap", "airflow-config", "airflow.cfg");
        Assert.Equal("/opt/airflow/airflow.cfg from ConfigMap airflow-config key airflow.cfg", place);
        Assert.Same(place, cfg.Place("/opt/airflow/airflow.cfg", "ConfigMap", "airflow-config", "airflow.cfg"));
        Assert.Equal("[core] dags_folder in " + place, cfg.SourceOf("core", "dags_folder", place));
        Assert.Same(cfg.SourceOf("core", "dags_folder", place), cfg.SourceOf("core", "dags_folder", new string(place.AsSpan())));
        for (var i = 0; i < 600; i++)
        {
            Assert.Equal($"[s{i}] k{i} in {place}", cfg.SourceOf($"s{i}", $"k{i}", place)); // past the 256 kept, formatted each time
            Assert.Equal($"/p{i} from Secret n key k", cfg.Place($"/p{i}", "Secret", "n", "k"));
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("True")]
    [InlineData(" TRUE\t")]
    [InlineData("t")]
    [InlineData("T")]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("false")]
    [InlineData("FaLsE ")]
    [InlineData("f")]
    [InlineData("yes")]
    [InlineData("tru")]
    [InlineData("truee")]
    [InlineData("10")]
    [InlineData("\u00a0true\u00a0")]
    public void Booleans_read_as_Airflow_reads_them_without_lowering_a_copy(string? value)
    {
        // the reading written plainly: trimmed, lowered, then one of Airflow's spellings
        bool? expected = value?.Trim().ToLowerInvariant() switch
        {
            "t" or "true" or "1" => true,
            "f" or "false" or "0" or "" => false,
            _ => null,
        };
        Assert.Equal(expected, EffectiveAirflowSettings.ParseBool(value));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(300)]
    public void FindEnv_gives_the_last_of_duplicate_names_as_Kubernetes_does_on_short_and_long_lists(int count)
    {
        // names repeat every 7 entries: each name but the rarest has duplicates, and the last one counts
        var env = Enumerable.Range(0, count).Select(i => new EnvVarView($"NAME_{i % 7}", i, EnvValueSource.Literal, $"value {i}", null, null)).ToArray();
        var container = new ContainerView { Name = "c", Env = env };

        foreach (var name in Enumerable.Range(0, 8).Select(i => $"NAME_{i}"))
        {
            var expected = env.LastOrDefault(e => e.Name == name);
            Assert.Same(expected, container.FindEnv(name));
            Assert.Same(expected, container.FindEnv(new string(name.AsSpan()))); // equal text, another string object
        }
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, 0)]
    [InlineData(0, 2)]
    [InlineData(2, 3)]
    public void AllContainers_walks_containers_then_init_containers_as_the_list_they_replace(int regular, int init)
    {
        static ContainerView Container(string name, bool isInit, int index) => new() { Name = name, IsInit = isInit, Index = index };
        var pod = new PodView
        {
            Metadata = ObjectMetadata.Empty,
            Containers = [.. Enumerable.Range(0, regular).Select(i => Container($"c{i}", false, i))],
            InitContainers = Enumerable.Range(0, init).Select(i => Container($"i{i}", true, i)).ToList(),
        };
        var expected = pod.Containers.Concat(pod.InitContainers).Select(c => c.Name).ToList();

        var walked = new List<string>();
        foreach (var container in pod.AllContainers)
        {
            walked.Add(container.Name);
        }

        Assert.Equal(expected, walked);
        Assert.Equal(expected, pod.AllContainers.Select(c => c.Name)); // through IEnumerable<T>, as LINQ walks it
        Assert.Equal(expected, pod.Containers.AsReadOnlySpan().ToArray().Concat(pod.InitContainers.AsReadOnlySpan().ToArray()).Select(c => c.Name));
    }

    [Theory]
    [InlineData("/spec/containers/0/env/3", "spec.containers[0].env[3]")]
    [InlineData("/spec/template/spec/volumes/12", "spec.template.spec.volumes[12]")]
    [InlineData("/metadata/annotations/example.com~1key", "metadata.annotations.example.com/key")]
    [InlineData("/a~0b/0x/07", "a~b.0x[07]")]
    [InlineData("", "")]
    [InlineData("/", "")]
    [InlineData("spec/containers/1", "spec.containers[1]")]
    [InlineData("//a//0//", "a[0]")]
    [InlineData("/a~01~/~1~0~", "a~1~./~~")]
    [InlineData("/0/1", "[0][1]")]
    [InlineData("/١٢", "١٢")]
    public void Pointers_become_the_dotted_paths_messages_use(string pointer, string path) => Assert.Equal(path, JsonPathText.FromPointer(pointer));

    [Fact]
    public void Pointers_of_any_shape_and_length_become_the_paths_the_plain_split_makes()
    {
        // the reading written plainly: split at "/", unescape each token, indexes in brackets, the rest after dots
        static string Plain(string pointer)
        {
            var path = new StringBuilder();
            foreach (var token in pointer.Split('/'))
            {
                if (token.Length == 0)
                {
                    continue;
                }
                if (token.All(char.IsAsciiDigit))
                {
                    path.Append('[').Append(token).Append(']');
                    continue;
                }
                path.Append(path.Length > 0 ? "." : "").Append(JsonPointer.Unescape(token));
            }
            return path.ToString();
        }
        var random = new Random(13);
        const string Alphabet = "/0123456789ab~.";
        for (var i = 0; i < 20_000; i++)
        {
            var pointer = new string(Enumerable.Range(0, random.Next(0, i % 100 == 0 ? 600 : 40)).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());
            Assert.Equal(Plain(pointer), JsonPathText.FromPointer(pointer));
        }
    }

    [Fact]
    public void Every_glob_shape_matches_exactly_what_the_general_matcher_matches()
    {
        foreach (var pattern in Patterns)
        {
            var glob = new Glob(pattern);
            foreach (var text in Texts)
            {
                Assert.True(Reference(pattern, text) == glob.IsMatch(text), $"glob \"{pattern}\" on \"{text}\": expected {Reference(pattern, text)}");
            }
        }
    }

    [Fact]
    public void A_glob_set_never_rules_out_a_text_one_of_its_globs_matches()
    {
        foreach (var pattern in Patterns)
        {
            var set = new GlobSet([new Glob(pattern), new Glob("*FERNET_KEY*")]);
            foreach (var text in Texts)
            {
                if (Reference(pattern, text) || Reference("*FERNET_KEY*", text))
                {
                    Assert.True(set.MayMatch(text), $"the set with \"{pattern}\" ruled out \"{text}\"");
                }
            }
        }
        var secrets = new GlobSet([new Glob("*SQL_ALCHEMY_CONN*"), new Glob("AIRFLOW_CONN_*")]);
        Assert.False(secrets.MayMatch("AIRFLOW__CORE__DAGS_FOLDER"));
        Assert.True(secrets.MayMatch("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"));
    }

    [Fact]
    public void A_glob_sets_remembered_answers_are_the_answers_for_each_string_asked_again_or_anew()
    {
        var set = new GlobSet([new Glob("*SQL_ALCHEMY_CONN*"), new Glob("AIRFLOW_CONN_*")]);
        // more strings than the set remembers, so answers are also evicted and worked out again
        var names = Enumerable.Range(0, 20_000).Select(i => i % 3 == 0 ? $"AIRFLOW_CONN_X{i}" : $"AIRFLOW__CORE__OPTION_{i}").ToArray();
        for (var round = 0; round < 3; round++)
        {
            foreach (var name in names)
            {
                var expected = name.StartsWith("AIRFLOW_CONN_", StringComparison.Ordinal);
                Assert.Equal(expected, set.MayMatch(name));
                Assert.Equal(expected, set.MayMatch(new string(name.AsSpan()))); // equal text, another object
            }
        }
    }

    [Fact]
    public void A_text_search_with_few_slots_answers_as_the_plain_search_through_every_eviction()
    {
        var fragments = SearchValues.Create(["git-sync", "envoy"], StringComparison.OrdinalIgnoreCase);
        var search = new TextSearch(fragments, 4); // four answers of each kind: nearly every question evicts one
        var texts = Enumerable.Range(0, 2_000).Select(i => (i % 5) switch
        {
            0 => $"registry.k8s.io/GIT-SYNC/git-sync-{i}",
            1 => $"envoy{i}",
            2 => $"apache/airflow-{i}",
            3 => $"g{i}it-sync",
            _ => i % 2 == 0 ? $"{i}" : new string('a', 100) + (i % 4 == 1 ? "ENVOY" : "") + i, // longer than the text pool keeps
        }).ToArray();
        for (var round = 0; round < 3; round++)
        {
            foreach (var text in texts)
            {
                var expected = text.AsSpan().ContainsAny(fragments);
                Assert.Equal(expected, search.ContainsAny(text));
                Assert.Equal(expected, search.ContainsAny(new string(text.AsSpan())));
            }
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextSearch(fragments, 12));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextSearch(fragments, 1));
    }

    [Fact]
    public void Image_repositories_stay_right_for_images_asked_again_or_anew()
    {
        // more images than are remembered, in the shapes images take: tag, digest, tag and digest, registry port, none
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 3_000; i++)
            {
                var (image, repository) = (i % 5) switch
                {
                    0 => ($"apache/airflow-{i}:2.9.{i}", $"apache/airflow-{i}"),
                    1 => ($"registry:5000/team/app{i}@sha256:{i:x64}", $"registry:5000/team/app{i}"),
                    2 => ($"r.io/git-sync{i}:v4@sha256:{i:x8}", $"r.io/git-sync{i}"),
                    3 => ($"localhost:5000/img{i}", $"localhost:5000/img{i}"),
                    _ => ($"plain{i}", $"plain{i}"),
                };
                Assert.Equal(repository, ContainerClassifier.ImageRepository(image));
                Assert.Equal(repository, ContainerClassifier.ImageRepository(new string(image.AsSpan())));
            }
        }
        Assert.Equal("", ContainerClassifier.ImageRepository(null));
        Assert.Equal("", ContainerClassifier.ImageRepository(""));
    }

    [Theory]
    [InlineData("/", "/")]
    [InlineData("//", "/")]
    [InlineData("///", "/")]
    [InlineData("/opt/airflow/logs", "/opt/airflow/logs")]
    [InlineData("/opt/airflow/logs/", "/opt/airflow/logs")]
    [InlineData("/opt/airflow/logs//", "/opt/airflow/logs")]
    [InlineData("/opt//airflow///logs", "/opt/airflow/logs")]
    [InlineData("//opt/airflow", "/opt/airflow")]
    [InlineData("logs/", "logs")]
    [InlineData("a//b", "a/b")]
    [InlineData("", "")]
    public void Paths_and_mount_paths_normalise_as_written_plainly(string path, string expected)
    {
        Assert.Equal(expected, PathText.Normalize(path));
        var mount = new MountView("v", path, null, false, 0);
        Assert.Equal(expected, mount.MountPath);
        Assert.Equal(expected, (new MountView("v", "/elsewhere", null, false, 0) with { MountPath = path }).MountPath);
    }

    [Theory]
    [InlineData("/opt/airflow/logs", "/opt/airflow", true)]
    [InlineData("/opt/airflow/logs/", "/opt/airflow//", true)]
    [InlineData("/opt/airflow", "/opt/airflow/", true)]
    [InlineData("/opt/airflowx", "/opt/airflow", false)]
    [InlineData("/opt/airflow", "/opt/airflow/logs", false)]
    [InlineData("/anything", "/", true)]
    [InlineData("/", "//", true)]
    [InlineData("relative", "/", false)]
    public void A_path_is_under_a_root_whether_or_not_either_was_normalised_first(string path, string root, bool under)
    {
        Assert.Equal(under, PathText.IsSameOrUnder(path, root));
        Assert.Equal(under, PathText.IsSameOrUnderNormal(PathText.Normalize(path), PathText.Normalize(root)));
    }

    [Theory]
    [InlineData("/opt/airflow/logs", "/opt/airflow", true)]
    [InlineData("/opt/airflow", "/opt/airflow/logs", true)]
    [InlineData("/opt/airflow", "/opt/airflow", true)]
    [InlineData("/opt/airflowx", "/opt/airflow", false)]
    [InlineData("/opt/airflow", "/opt/airflowx", false)]
    [InlineData("/opt/airflow/dags", "/opt/airflow/logs", false)]
    [InlineData("/anything", "/", true)]
    [InlineData("/", "/anything", true)]
    [InlineData("/", "/", true)]
    [InlineData("/", "x", false)]
    [InlineData("x", "/", false)]
    [InlineData("relative", "/", false)]
    [InlineData("", "/", true)]
    [InlineData("/", "", true)]
    [InlineData("", "", true)]
    [InlineData("", "logs", false)]
    [InlineData("logs", "logs/a", true)]
    public void Two_paths_are_nested_when_either_is_at_or_under_the_other(string a, string b, bool nested)
    {
        // the same answer as asking IsSameOrUnderNormal both ways, which is what the one comparison replaced
        Assert.Equal(nested, PathText.IsSameOrUnderNormal(a, b) || PathText.IsSameOrUnderNormal(b, a));
        Assert.Equal(nested, PathText.AreNestedNormal(a, b));
        Assert.Equal(nested, PathText.AreNestedNormal(b, a));
    }

    [Fact]
    public void A_list_reads_as_the_same_span_whatever_list_type_holds_it()
    {
        string[] items = ["a", "b", "c"];
        IReadOnlyList<string>[] lists = [items, items.ToList(), items.AsReadOnly()];
        foreach (var list in lists)
        {
            Assert.Equal(items, list.AsReadOnlySpan().ToArray());
        }
        // an array of a derived type behind a list of its base type (a Span<T> of it would throw)
        IReadOnlyList<object> covariant = items;
        Assert.Equal<object>(items, covariant.AsReadOnlySpan().ToArray());
        var list2 = items.ToList();
        Assert.True(Unsafe.AreSame(ref MemoryMarshal.GetReference(((IReadOnlyList<string>)list2).AsReadOnlySpan()),
            ref MemoryMarshal.GetReference(CollectionsMarshal.AsSpan(list2))), "a List<T> is read in place");
    }

    [Fact]
    public void A_lazy_path_reads_as_the_string_built_step_by_step_for_names_never_seen_and_from_many_threads()
    {
        // names as documents bring them (new strings, some with the text of another, some JSON paths must quote), more of them
        // than PathNames numbers: past its capacity a step writes the pending part out, and the path must read the same
        var names = Enumerable.Range(0, PathNames.Capacity + 500).Select(i => i % 7 == 0 ? $"odd.name {i}" : $"key{i % (PathNames.Capacity + 200)}").ToArray();
        Parallel.For(0, 4, thread =>
        {
            var random = new Random(thread);
            for (var round = 0; round < 400; round++)
            {
                JsonPath lazy = "request.object";
                var eager = "request.object";
                for (var step = 0; step < random.Next(1, 12); step++)
                {
                    if (random.Next(3) == 0)
                    {
                        var index = random.Next(100);
                        lazy = lazy.Index(index);
                        eager = JsonRead.Index(eager, index);
                    }
                    else
                    {
                        var name = new string(names[random.Next(names.Length)].AsSpan()); // a string of its own, as a reader makes one
                        lazy = lazy.Child(name);
                        eager = JsonRead.Child(eager, name);
                    }
                }
                Assert.Equal(eager, lazy.ToString());
            }
        });
    }

    [Fact]
    public void A_lazy_path_reads_as_the_string_built_step_by_step()
    {
        JsonPath lazy = "request.object";
        var eager = "request.object";
        string[] steps = ["spec", "template", "spec", "containers", "#3", "env", "#12", "valueFrom", "secretKeyRef", "odd.name", "#0", "a b", "deep", "#7"];
        foreach (var step in steps)
        {
            if (step.StartsWith('#'))
            {
                var index = int.Parse(step[1..], System.Globalization.CultureInfo.InvariantCulture);
                (lazy, eager) = (lazy.Index(index), JsonRead.Index(eager, index));
            }
            else
            {
                (lazy, eager) = (lazy.Child(step), JsonRead.Child(eager, step));
            }
            Assert.Equal(eager, lazy.ToString());
        }
        Assert.Equal("[0].name", new JsonPath("").Index(0).Child("name").ToString());
    }

    [Fact]
    public void An_error_deep_in_a_workload_names_its_full_path()
    {
        var json = """
            {"kind":"Deployment","metadata":{"name":"w"},"spec":{"template":{"metadata":{},"spec":{"containers":[
              {"name":"a","image":"apache/airflow:2.10.4"},
              {"name":"b","env":[{"name":"X","valueFrom":{"secretKeyRef":{"name":7,"key":"k"}}}]}]}}}}
            """;
        using var document = JsonDocument.Parse(json);
        var errors = new InputErrors();
        PodReader.Read(document.RootElement, null, "request.object", errors);
        var error = Assert.Single(errors.All);
        Assert.Equal("request.object.spec.template.spec.containers[1].env[0].valueFrom.secretKeyRef.name", error.Path);
    }

    [Fact]
    public void Pooled_text_is_spelled_by_its_bytes_whatever_was_read_before()
    {
        // an escaped spelling of a text ("\u0041BC" is "ABC") is read right and never stands for the plain one;
        // texts at and past the pool's length limit, and non-ASCII ones, read as themselves
        var long96 = new string('x', 95) + "y";
        var long97 = new string('x', 96) + "y";
        string[] raw = [@"\u0041BC-pool", "ABC-pool", @"a\""b", "a\\\\b", long96, long97, "caf\u00e9", @"\u00e9t\u00e9", "plain-name"];
        foreach (var round in new[] { 1, 2 })
        {
            foreach (var text in raw)
            {
                var json = Encoding.UTF8.GetBytes($$"""{"v":"{{text}}"}""");
                using var document = JsonDocument.Parse(json);
                var expected = document.RootElement.GetProperty("v").GetString();
                Assert.Equal(expected, TextPool.Of(document.RootElement.GetProperty("v")));
                var reader = new JsonCursor(json);
                reader.Read();
                reader.Read();
                Assert.Equal("v", TextPool.Of(ref reader));
                reader.Read();
                Assert.Equal(expected, TextPool.Of(ref reader));
            }
        }
        using var twice = JsonDocument.Parse("""{"a":"ABC-pool","b":"ABC-pool"}""");
        Assert.Same(TextPool.Of(twice.RootElement.GetProperty("a")), TextPool.Of(twice.RootElement.GetProperty("b")));
    }

    [Fact]
    public void Pooled_text_is_the_same_text_and_secrets_are_not_pooled()
    {
        var json = """{"a":"shared-text","b":"shared-text","c":"caf\u00e9 \\n","d":"ünïcødé"}""";
        using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(json));
        var root = document.RootElement;
        var a = TextPool.Of(root.GetProperty("a"));
        var b = TextPool.Of(root.GetProperty("b"));
        Assert.Equal("shared-text", a);
        Assert.Same(a, b);
        Assert.Equal(root.GetProperty("c").GetString(), TextPool.Of(root.GetProperty("c")));
        Assert.Equal("ünïcødé", TextPool.Of(root.GetProperty("d")));

        using var pod = JsonDocument.Parse("""{"spec":{"containers":[{"name":"c","env":[{"name":"AIRFLOW__CORE__FERNET_KEY","value":"pool-me-not"}]}]}}""");
        using var again = JsonDocument.Parse("""{"spec":{"containers":[{"name":"c","env":[{"name":"AIRFLOW__CORE__FERNET_KEY","value":"pool-me-not"}]}]}}""");
        var first = PodReader.Read(pod.RootElement, "Pod", "", new InputErrors())!.Containers[0].Env[0];
        var second = PodReader.Read(again.RootElement, "Pod", "", new InputErrors())!.Containers[0].Env[0];
        Assert.Same(first.Name, second.Name);
        Assert.Equal(first.Value, second.Value);
        Assert.NotSame(first.Value, second.Value);
    }

    /// <summary>The textbook matcher, written independently of <see cref="Glob"/>: dynamic programming over both strings.</summary>
    private static bool Reference(string pattern, string text)
    {
        var match = new bool[pattern.Length + 1, text.Length + 1];
        match[0, 0] = true;
        for (var p = 1; p <= pattern.Length; p++)
        {
            match[p, 0] = match[p - 1, 0] && pattern[p - 1] == '*';
            for (var t = 1; t <= text.Length; t++)
            {
                match[p, t] = pattern[p - 1] switch
                {
                    '*' => match[p - 1, t] || match[p, t - 1],
                    '?' => match[p - 1, t - 1],
                    var c => match[p - 1, t - 1] && c == text[t - 1],
                };
            }
        }
        return match[pattern.Length, text.Length];
    }
}
