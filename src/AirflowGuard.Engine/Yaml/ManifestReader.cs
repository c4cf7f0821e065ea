using AirflowGuard.Engine.Kubernetes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Yaml;

/// <summary>
/// Reads manifests one YAML document at a time, so `check` keeps only the document in hand in
/// memory however long the stream (helm template output of a whole platform). The YAML helm writes
/// goes straight to JSON through <see cref="BlockYamlReader"/>; every other document (anchors, Lists,
/// ConfigMaps, which may embed a pod_template_file, anything unusual) is parsed by YamlDotNet and
/// converted from its nodes (<see cref="YamlJson"/>).
/// </summary>
public static class ManifestReader
{
    public static IEnumerable<(ManifestObject? Object, ManifestError? Error)> Read(TextReader reader, string file)
    {
        var index = 0;
        foreach (var (document, syntaxError) in Documents(reader, file))
        {
            if (syntaxError is not null)
            {
                yield return (null, syntaxError);
                continue;
            }
            foreach (var item in Convert(document!, file, ref index))
            {
                yield return item;
            }
        }
    }

    /// <summary>
    /// The parser events of each document (the first stage of <see cref="Read"/>, for callers that
    /// convert documents on another thread). A syntax error is reported for its document, and reading
    /// goes on with the next one.
    /// </summary>
    public static IEnumerable<(ParsedDocument? Document, ManifestError? Error)> Documents(TextReader reader, string file)
    {
        foreach (var chunk in YamlDocumentSplitter.Split(reader))
        {
            foreach (var item in Parse(chunk, file))
            {
                yield return item;
            }
        }
    }

    /// <summary>
    /// Parses the text between two document markers (usually one document; more when a marker sits where the
    /// splitter cannot see it). Needs nothing from the documents before it, so chunks can be parsed in parallel.
    /// </summary>
    public static List<(ParsedDocument? Document, ManifestError? Error)> Parse(YamlDocumentText chunk, string file)
    {
        var results = new List<(ParsedDocument?, ManifestError?)>(1);
        switch (BlockYamlReader.TryConvert(chunk.Text, out var json, out var line, out var kind))
        {
            case BlockYamlReader.Outcome.Empty:
                return results;
            // Lists and ConfigMaps may hold more objects (a pod_template_file): YamlDotNet's nodes read those
            case BlockYamlReader.Outcome.Converted when kind is not ("List" or "ConfigMap"):
                results.Add((new ParsedDocument(null, chunk.FirstLine - 1) { Source = JsonSource.FromUtf8(json), Kind = kind, Line = line }, null));
                return results;
        }
        return ParseWithYamlDotNet(chunk, file);
    }

    /// <summary>
    /// <see cref="Parse"/> without the fast path: YamlDotNet's events for every document, or the syntax error.
    /// The reference the fast path is tested against.
    /// </summary>
    public static List<(ParsedDocument? Document, ManifestError? Error)> ParseWithYamlDotNet(YamlDocumentText chunk, string file)
    {
        var results = new List<(ParsedDocument?, ManifestError?)>(1);
        var scanner = new Scanner(new StringReader(chunk.Text), skipComments: true);
        var parser = new DepthLimitedParser(new Parser(scanner));
        var started = false;
        while (true)
        {
            var events = new List<ParsingEvent>();
            var more = NextDocument(parser, scanner, events, ref started, file, chunk.FirstLine - 1, out var syntaxError);
            if (syntaxError is not null)
            {
                results.Add((null, syntaxError));
                break;
            }
            if (!more)
            {
                break;
            }
            results.Add((new ParsedDocument(events, chunk.FirstLine - 1), null));
        }
        return results;
    }

    /// <summary>Converts one document's events into its objects (the second stage of <see cref="Read"/>).</summary>
    public static List<(ManifestObject? Object, ManifestError? Error)> Convert(ParsedDocument document, string file, ref int index)
    {
        if (document.Source is { } source)
        {
            return [(new ManifestObject(source, file, document.Line + document.LineOffset, index++) { NotedKind = document.Kind }, null)];
        }
        var results = ConvertDocument(document.Events!, file, ref index, document.LineOffset);
        if (document.LineOffset != 0)
        {
            for (var i = 0; i < results.Count; i++)
            {
                var (obj, error) = results[i];
                results[i] = (obj is null ? null : obj with { Line = obj.Line + document.LineOffset },
                    error is null ? null : error with { Line = error.Line + document.LineOffset });
            }
        }
        return results;
    }

    /// <summary>Collects the events of the next document; false at the end of the stream or on a syntax error.</summary>
    private static bool NextDocument(DepthLimitedParser parser, Scanner scanner, List<ParsingEvent> events, ref bool started, string file, int lineOffset, out ManifestError? error)
    {
        events.Clear();
        error = null;
        try
        {
            if (!started)
            {
                parser.Consume<StreamStart>();
                started = true;
            }
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return false;
            }
            // Consume / TryConsume leave the parser on the next event: Current is where a document starts
            var depth = 0;
            do
            {
                var current = parser.Current ?? throw new YamlException("the stream ended inside a document");
                events.Add(current);
                depth += current.NestingIncrease;
                parser.MoveNext();
            }
            while (events[^1] is not DocumentEnd || depth != 0);
            return true;
        }
        catch (YamlException ex)
        {
            error = new ManifestError(file, (int)ex.Start.Line + lineOffset, (int)ex.Start.Column, "YAML syntax error: " + YamlText.Clean(ex));
        }
        catch (InvalidOperationException)
        {
            var at = scanner.CurrentPosition;
            error = new ManifestError(file, (int)at.Line + lineOffset, (int)at.Column, "YAML syntax error: the document ends inside an unclosed [ … ] or { … }");
        }
        return false;
    }

    private static List<(ManifestObject?, ManifestError?)> ConvertDocument(List<ParsingEvent> events, string file, ref int index, int lineOffset)
    {
        // events: DocumentStart, root node…, DocumentEnd
        var root = events.Count > 2 ? events[1] : null;
        var results = new List<(ManifestObject?, ManifestError?)>();
        if (root is null || root is Scalar { Value: "" or null, Style: ScalarStyle.Plain or ScalarStyle.Any })
        {
            return results; // an empty document between two "---"
        }
        YamlNode node;
        try
        {
            node = ToNode(events);
        }
        catch (YamlException ex)
        {
            // The events are a well-formed document; what the node model refuses is a duplicate key. YAML forbids it
            // and Flux and kustomize refuse the file, but helm and kubectl keep the last value (charts render such
            // ConfigMaps when a user's setting repeats one of the chart's): each is reported, and read as they read it.
            var dropped = new List<(Scalar Again, Scalar Before)>();
            var lastWins = YamlEvents.LastKeyWins(events, dropped);
            if (dropped.Count == 0)
            {
                results.Add((null, new ManifestError(file, (int)ex.Start.Line, (int)ex.Start.Column, "YAML error: " + YamlText.Clean(ex))));
                return results;
            }
            foreach (var (again, before) in dropped)
            {
                results.Add((null, new ManifestError(file, (int)again.Start.Line, (int)again.Start.Column,
                    $"YAML error: Duplicate key {again.Value}, set before at line {before.Start.Line + lineOffset} (helm and kubectl keep the last value, which is what is checked; Flux and kustomize refuse the file)")));
            }
            node = ToNode(lastWins);
        }
        if (YamlLimits.CheckExpansion(node) is { } refused)
        {
            results.Add((null, new ManifestError(file, (int)refused.Start.Line, (int)refused.Start.Column, refused.Message)));
            return results;
        }
        var objects = new List<ManifestObject>();
        var errors = new List<ManifestError>();
        ManifestBundle.ReadDocument(node, file, ref index, objects, errors);
        results.AddRange(objects.Select(o => ((ManifestObject?)o, (ManifestError?)null)));
        results.AddRange(errors.Select(e => ((ManifestObject?)null, (ManifestError?)e)));
        return results;
    }

    /// <summary>One document's events (DocumentStart, the root node's events, DocumentEnd) loaded as YamlDotNet's nodes.</summary>
    internal static YamlNode ToNode(List<ParsingEvent> events)
    {
        var stream = new YamlStream();
        stream.Load(new ReplayParser(events));
        return stream.Documents[0].RootNode;
    }

    /// <summary>Plays recorded events to YamlDotNet's node loader.</summary>
    private sealed class ReplayParser(List<ParsingEvent> events) : IParser
    {
        private int _position = -1;

        public ParsingEvent? Current => _position >= 0 && _position < events.Count + 2 ? At(_position) : null;

        public bool MoveNext()
        {
            _position++;
            return _position < events.Count + 2;
        }

        private ParsingEvent At(int position) => position == 0
            ? new StreamStart()
            : position == events.Count + 1 ? new StreamEnd() : events[position - 1];
    }
}
