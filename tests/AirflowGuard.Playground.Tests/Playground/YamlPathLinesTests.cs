namespace AirflowGuard.Playground.Tests;

public class YamlPathLinesTests
{
    [Fact]
    public void Line_VolumeMountOfTheOssSeed_IsItsListItem()
    {
        var text = Repository.Read("examples/seeds/000-oss-logs-unsafe.yaml");
        var lines = new YamlPathLines(text);

        var line = lines.Line(38, "spec.template.spec.containers[0].volumeMounts[0]");

        Assert.Contains("- name: volume-pv-airflow-logs", text.Split('\n')[line - 1], StringComparison.Ordinal);
        Assert.Equal(61, line);
    }

    [Fact]
    public void Line_KeyInALaterDocument_CountsTheLinesBefore()
    {
        var lines = new YamlPathLines("a: 1\n---\n# note\nkind: Pod\nspec:\n  volumes:\n    - name: x\n    - name: y\n");

        Assert.Equal(8, lines.Line(4, "spec.volumes[1]"));
        Assert.Equal(5, lines.Line(4, "spec"));
    }

    [Theory]
    [InlineData("spec.nothing[3]", 5)]
    [InlineData(null, 1)]
    public void Line_PathNotInTheObject_StopsAtTheLastStepFound(string? path, int expected)
    {
        var lines = new YamlPathLines("kind: Pod\nmetadata:\n  name: p\n  labels: {}\nspec:\n  containers: []\n");

        Assert.Equal(expected, lines.Line(1, path));
    }

    [Fact]
    public void LineInEmbedded_PodTemplateFileInAConfigMap_LineInsideTheLiteralBlock()
    {
        var text = Repository.Read("tests/charts/official-1.19/k8s-logs-pvc-gitsync.yaml");
        var lines = new YamlPathLines(text);

        var line = lines.LineInEmbedded(279, "spec.containers[0].volumeMounts[0]", new AirflowGuard.Engine.Yaml.EmbeddedTemplate("pod_template_file.yaml", "airflow-config"));

        Assert.Equal(346, line);
        Assert.Contains("- mountPath: \"/opt/airflow/logs\"", text.Split('\n')[line - 1], StringComparison.Ordinal);
    }
}
