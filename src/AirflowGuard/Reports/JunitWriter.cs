using System.Globalization;
using System.Xml;

namespace AirflowGuard.Reports;

/// <summary>Writes JUnit XML, the one format CI systems all read, for <c>check --output junit</c> and <c>test --output junit</c>.</summary>
internal static class JunitWriter
{
    public static void Write(IEnumerable<JunitSuite> suites, TextWriter output)
    {
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false) }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("testsuites");
            foreach (var suite in suites)
            {
                xml.WriteStartElement("testsuite");
                xml.WriteAttributeString("name", suite.Name);
                xml.WriteAttributeString("tests", suite.Cases.Count.ToString(CultureInfo.InvariantCulture));
                xml.WriteAttributeString("failures", suite.Failures.ToString(CultureInfo.InvariantCulture));
                if (suite.Errors is { } errors)
                {
                    xml.WriteAttributeString("errors", errors.ToString(CultureInfo.InvariantCulture));
                }
                foreach (var test in suite.Cases)
                {
                    xml.WriteStartElement("testcase");
                    xml.WriteAttributeString("classname", test.ClassName);
                    xml.WriteAttributeString("name", test.Name);
                    foreach (var failure in test.Failures)
                    {
                        xml.WriteStartElement("failure");
                        if (failure.Type is not null)
                        {
                            xml.WriteAttributeString("type", failure.Type);
                        }
                        xml.WriteAttributeString("message", failure.Message);
                        xml.WriteString(failure.Text);
                        xml.WriteEndElement();
                    }
                    if (test.SystemOut is not null)
                    {
                        xml.WriteElementString("system-out", test.SystemOut);
                    }
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
