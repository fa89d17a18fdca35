using System.Text.Json.Serialization;
using Spectre.Console;

namespace SecureComms.Cli.Demo;

/// <summary>One check of the demo: what was expected and whether it held.</summary>
internal sealed record DemoCheck(string What, bool Ok);

/// <summary>One step of the demo: its title, what happened, and its checks.</summary>
internal sealed class DemoStep(string title)
{
    public string Title { get; } = title;

    public List<string> Events { get; } = [];

    public List<DemoCheck> Checks { get; } = [];

    [JsonIgnore]
    public bool Ok => Checks.Count > 0 && Checks.All(c => c.Ok);
}

/// <summary>
/// Tells the scenario as it runs (a rule per step, who did what, each check) on a Spectre console, or only
/// records it (for <c>--json</c>).
/// </summary>
internal sealed class DemoNarrator(IAnsiConsole? console)
{
    private DemoStep? _current;

    public List<DemoStep> Steps { get; } = [];

    public bool AllOk => Steps.Count > 0 && Steps.All(s => s.Ok);

    public void Step(string title)
    {
        _current = new DemoStep(title);
        Steps.Add(_current);
        console?.WriteLine();
        console?.Write(new Rule($"[bold]{Steps.Count}. {Markup.Escape(title)}[/]").LeftJustified());
    }

    /// <summary><paramref name="actor"/> did <paramref name="what"/>.</summary>
    public void Say(string actor, string what)
    {
        Current.Events.Add($"{actor}: {what}");
        string color = actor switch
        {
            "alice" => "deepskyblue1",
            "bob" => "orange1",
            "server" => "grey",
            _ => "white",
        };
        console?.MarkupLine($"  [{color}]{Markup.Escape(actor),-6}[/] {Markup.Escape(what)}");
    }

    /// <summary>Records a check; returns whether it held.</summary>
    public bool Check(string what, bool ok)
    {
        Current.Checks.Add(new DemoCheck(what, ok));
        console?.MarkupLine(ok
            ? $"  [green]  ✓ {Markup.Escape(what)}[/]"
            : $"  [red]  ✗ {Markup.Escape(what)}[/]");
        return ok;
    }

    private DemoStep Current => _current ?? throw new InvalidOperationException("No step started.");
}
