using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Cli;

/// <summary>
/// check's first pass: reads every input once — the YAML parser on one thread, conversion to JSON
/// on another — indexes what pods refer to, and spools each object as compact JSON to a temporary
/// file, which the second pass reads back to evaluate. Memory holds a bounded queue of documents,
/// never the whole input; YAML, the slow part, is parsed once.
/// </summary>
internal sealed class ManifestSpool : IDisposable
{
    private readonly string _path = Path.GetTempFileName();

    public int Errors { get; private set; }

    public static ManifestSpool Fill(IReadOnlyList<ManifestSource> sources, ManifestClusterState cluster, TextWriter error)
    {
        var spool = new ManifestSpool();
        var documents = Channel.CreateBounded<(string File, ParsedDocument? Document, ManifestError? Error)>(
            new BoundedChannelOptions(256) { SingleReader = true, SingleWriter = true });
        var parsing = Task.Run(async () =>
        {
            try
            {
                foreach (var source in sources)
                {
                    using var reader = source.Open();
                    foreach (var (document, problem) in ManifestReader.Documents(reader, source.Name))
                    {
                        await documents.Writer.WriteAsync((source.Name, document, problem)).ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                documents.Writer.Complete();
            }
        });

        using (var writer = new BinaryWriter(File.Create(spool._path, 64 * 1024), Encoding.UTF8))
        {
            var index = 0;
            var json = new System.Buffers.ArrayBufferWriter<byte>(4096);
            foreach (var (file, document, problem) in documents.Reader.ReadAllAsync().ToBlockingEnumerable())
            {
                if (problem is not null)
                {
                    error.WriteLine(problem.ToString());
                    spool.Errors++;
                    continue;
                }
                foreach (var (obj, objectProblem) in ManifestReader.Convert(document!, file, ref index))
                {
                    if (objectProblem is not null)
                    {
                        error.WriteLine(objectProblem.ToString());
                        spool.Errors++;
                        continue;
                    }
                    cluster.Add(obj!);
                    writer.Write(obj!.File);
                    writer.Write(obj.Line);
                    writer.Write(obj.EmbeddedIn?.Key ?? "");
                    writer.Write(obj.EmbeddedIn?.ConfigMap ?? "");
                    json.Clear();
                    using (var compact = new Utf8JsonWriter(json))
                    {
                        obj.Json.WriteTo(compact);
                    }
                    writer.Write(json.WrittenCount);
                    writer.Write(json.WrittenSpan);
                }
            }
        }
        parsing.GetAwaiter().GetResult();
        return spool;
    }

    /// <summary>The spooled objects, in input order, one at a time.</summary>
    public IEnumerable<ManifestObject> Objects()
    {
        using var reader = new BinaryReader(new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024), Encoding.UTF8);
        var index = 0;
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            var file = reader.ReadString();
            var line = reader.ReadInt32();
            var embeddedKey = reader.ReadString();
            var embeddedConfigMap = reader.ReadString();
            var json = reader.ReadBytes(reader.ReadInt32());
            using var document = JsonDocument.Parse(json);
            yield return new ManifestObject(document.RootElement.Clone(), file, line, index++) { EmbeddedIn = embeddedKey.Length == 0 ? null : new EmbeddedTemplate(embeddedKey, embeddedConfigMap) };
        }
    }

    public void Dispose() => File.Delete(_path);
}
