using System.CommandLine;
using System.Text.Json;
using SecureComms.Vectors;
using Spectre.Console;

namespace SecureComms.Cli;

/// <summary>
/// <c>securecomms conformance [--json] [--verbose]</c>: runs every published vector the project knows and
/// reports per source (cases, passed, failed, skipped with reason). Exit code 1 on any failure.
/// </summary>
internal static class ConformanceCommand
{
    internal static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array, one object per source." };
        var verbose = new Option<bool>("--verbose") { Description = "List every case that did not pass, with its detail." };
        var command = new Command("conformance", "Run every published test vector and report per source.");
        command.Options.Add(json);
        command.Options.Add(verbose);
        command.SetAction(parse => Run(parse.GetValue(json), parse.GetValue(verbose)));
        return command;
    }

    private static int Run(bool json, bool verbose)
    {
        var reports = Conformance.Suites.Select(Conformance.Run).ToList();
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(
                reports.Select(r => new { source = r.Source, cases = r.Cases, passed = r.Passed, failed = r.Failed, skipped = r.Skipped }),
                new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            PrintTable(reports, verbose);
        }
        return reports.Any(r => r.Failed > 0) ? 1 : 0;
    }

    private static void PrintTable(List<SourceReport> reports, bool verbose)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("SecureComms conformance");
        table.AddColumns("source", "cases", "passed", "failed", "skipped", "skip reasons");
        foreach (var r in reports)
        {
            string reasons = string.Join("; ", r.Results.Where(x => x.Outcome == Outcome.Skipped)
                .GroupBy(x => x.Detail).Select(g => $"{g.Count()} × {g.Key}"));
            table.AddRow(
                Markup.Escape(r.Source),
                r.Cases.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"[green]{r.Passed}[/]",
                r.Failed == 0 ? "0" : $"[red bold]{r.Failed}[/]",
                r.Skipped.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(reasons));
        }
        AnsiConsole.Write(table);
        foreach (var result in reports.SelectMany(r => r.Results)
                     .Where(x => x.Outcome == Outcome.Failed || (verbose && x.Outcome == Outcome.Skipped)))
        {
            AnsiConsole.MarkupLine(result.Outcome == Outcome.Failed
                ? $"[red]FAILED[/] {Markup.Escape(result.ToString())}"
                : $"[yellow]skipped[/] {Markup.Escape(result.ToString())}");
        }
        int total = reports.Sum(r => r.Cases), failed = reports.Sum(r => r.Failed), skipped = reports.Sum(r => r.Skipped);
        AnsiConsole.MarkupLine($"{total} cases: [green]{reports.Sum(r => r.Passed)} passed[/], "
            + (failed == 0 ? "0 failed" : $"[red bold]{failed} failed[/]") + $", {skipped} skipped (reasons above)");
    }
}
