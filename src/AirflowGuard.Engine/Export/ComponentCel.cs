using AirflowGuard.Engine.Airflow;

namespace AirflowGuard.Engine.Export;

/// <summary>
/// <see cref="ComponentRecognizer"/> written in CEL, as ValidatingAdmissionPolicy variables: the pod template of any
/// kind that runs pods, its labels and containers, and <c>variables.component</c>, the component's name. The same
/// questions in the same order: the policy set's recognition rules, the executors' and operators' labels, the
/// official, community and Bitnami charts' labels, then the containers' env, commands, a bare Pod's <c>base</c>
/// container and Airflow images. The engine keeps its own code (it recognises every pod of every review, where CEL
/// would cost an order of magnitude more); tests hold the two to the same answer on every object of every chart
/// render and fixture.
/// </summary>
internal static class ComponentCel
{
    /// <summary>
    /// An image whose repository (the image without <c>@digest</c> and <c>:tag</c>) has "airflow" as a word between
    /// <c>/ - _ .</c>, in any case: the word must sit after the last <c>/</c> before it with no <c>:</c> between
    /// (a registry's port), and end the image, start a path or name part, or start the tag.
    /// </summary>
    private const string AirflowImage = "(?i)^(?:.*/)?(?:[^/:]*[-_.])?airflow(?:[-/_.].*|:[^/]*)?$";

    public static IEnumerable<(string Name, string Expression)> Variables(RecognitionRules recognition)
    {
        yield return ("template",
            "object.kind == 'Pod' ? object :\n" +
            "object.kind == 'CronJob' ? (has(object.spec) && has(object.spec.jobTemplate) && has(object.spec.jobTemplate.spec) && has(object.spec.jobTemplate.spec.template) ? object.spec.jobTemplate.spec.template : {}) :\n" +
            "object.kind == 'PodTemplate' ? (has(object.template) ? object.template : {}) :\n" +
            "has(object.spec) && has(object.spec.template) ? object.spec.template : {}");
        yield return ("labels", "has(variables.template.metadata) && has(variables.template.metadata.labels) ? variables.template.metadata.labels : {}");
        yield return ("containers", "has(variables.template.spec) && has(variables.template.spec.containers) ? variables.template.spec.containers : []");
        yield return ("airflowContainers",
            $"variables.containers.filter(c, (has(c.image) && c.image.split('@')[0].matches({AdmissionPolicyExport.Quote(AirflowImage)})) ||\n" +
            "  (has(c.env) && c.env.exists(e, e.name.startsWith('AIRFLOW__') || e.name == 'AIRFLOW_HOME')))");
        // each container's command and args joined, for the containers whose command runs airflow and names a component
        var words = string.Join(" || ", ComponentRecognizer.TaskCommandWords.Concat(ComponentRecognizer.CommandWords.Select(w => w.Word)).Select(w => $"t.contains({AdmissionPolicyExport.Quote(w)})"));
        yield return ("commands",
            "variables.containers.map(c, (has(c.command) ? c.command : []) + (has(c.args) ? c.args : []))\n" +
            "  .filter(w, w.exists(x, x.startsWith('airflow') || x.contains('airflow ') || x.contains('airflow.sdk')))\n" +
            $"  .map(w, w.join(' ')).filter(t, {words})");
        yield return ("chartLabel",
            "'component' in variables.labels && (('tier' in variables.labels && variables.labels['tier'] == 'airflow') ||\n" +
            "  ('app' in variables.labels && variables.labels['app'] == 'airflow')) ? [variables.labels['component']] :\n" +
            "'app.kubernetes.io/name' in variables.labels && variables.labels['app.kubernetes.io/name'] == 'airflow' &&\n" +
            "  'app.kubernetes.io/component' in variables.labels ? [variables.labels['app.kubernetes.io/component']] : []");
        yield return ("component", Component(recognition));
    }

    private static string Component(RecognitionRules recognition)
    {
        var steps = new List<(string Condition, string Component)>();
        foreach (var selector in recognition.Components)
        {
            var terms = selector.Labels.OrderBy(l => l.Key, StringComparer.Ordinal)
                .Select(l => $"({AdmissionPolicyExport.Quote(l.Key)} in variables.labels && {AdmissionPolicyExport.GlobTest($"variables.labels[{AdmissionPolicyExport.Quote(l.Key)}]", l.Value)})")
                .DefaultIfEmpty("true");
            steps.Add((string.Join(" && ", terms), Name(selector.Component)));
        }
        steps.Add((IsTrue("kubernetes_executor"), Name(AirflowComponent.Task)));
        steps.Add((IsTrue("kubernetes_pod_operator"), Name(AirflowComponent.PodOperator)));
        steps.Add(($"{IsTrue("spark_kubernetes_operator")} || {IsTrue("ray-kubernetes-operator")} || {IsTrue("ray_kubernetes_operator")}", Name(AirflowComponent.PodOperator)));
        steps.Add(("'airflow-worker' in variables.labels && 'dag_id' in variables.labels && 'task_id' in variables.labels", Name(AirflowComponent.Task)));
        steps.Add(("size(variables.chartLabel) > 0", FromChartLabel("variables.chartLabel[0]")));
        steps.Add(("variables.containers.exists(c, has(c.env) && c.env.exists(e, e.name == 'AIRFLOW_IS_K8S_EXECUTOR_POD'))", Name(AirflowComponent.Task)));
        steps.Add(("size(variables.commands) > 0", FromCommand("variables.commands[0]")));
        steps.Add(("object.kind == 'Pod' && variables.airflowContainers.exists(c, c.name == 'base')", Name(AirflowComponent.Task)));
        steps.Add(("size(variables.airflowContainers) > 0", Name(AirflowComponent.Worker)));
        return string.Join(" :\n", steps.Select(s => $"{s.Condition} ? {s.Component}")) + " :\n" + Name(AirflowComponent.NotAirflow);
    }

    private static string IsTrue(string label) =>
        $"({AdmissionPolicyExport.Quote(label)} in variables.labels && variables.labels[{AdmissionPolicyExport.Quote(label)}].lowerAscii() == 'true')";

    private static string FromChartLabel(string value) =>
        "(" + string.Join(" : ", AirflowComponentNames.ChartLabelWords.Select(w => $"{value} in {AdmissionPolicyExport.List(w.Words)} ? {Name(w.Component)}")) + $" : {Name(AirflowComponent.Other)})";

    private static string FromCommand(string text) =>
        $"({string.Join(" || ", ComponentRecognizer.TaskCommandWords.Select(w => $"{text}.contains({AdmissionPolicyExport.Quote(w)})"))} ? {Name(AirflowComponent.Task)} : " +
        string.Join(" : ", ComponentRecognizer.CommandWords.SkipLast(1).Select(w => $"{text}.contains({AdmissionPolicyExport.Quote(w.Word)}) ? {Name(w.Component)}")) +
        $" : {Name(ComponentRecognizer.CommandWords[^1].Component)})";

    private static string Name(AirflowComponent component) => AdmissionPolicyExport.Quote(component.ToName());
}
