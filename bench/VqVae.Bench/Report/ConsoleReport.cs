using Spectre.Console;

namespace VqVae.Bench;

/// <summary>Draws the report tables on the console; PASS in green, FAIL in red.</summary>
public static class ConsoleReport
{
    public static void Write(IReadOnlyList<ReportTable> tables)
    {
        foreach (var t in tables)
        {
            var table = new Table { Title = new TableTitle(Markup.Escape(t.Title), new Style(decoration: Decoration.Bold)) };
            table.Border(TableBorder.Rounded);
            foreach (var column in t.Columns) table.AddColumn(Markup.Escape(column));
            if (t.Columns.All(c => c.Length == 0)) table.HideHeaders();
            foreach (var row in t.Rows) table.AddRow(row.Select(Cell).ToArray());
            AnsiConsole.Write(table);
            foreach (var note in t.Notes) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(note.Replace("**", ""))}[/]");
            AnsiConsole.WriteLine();
        }
    }

    static string Cell(string text) => text switch
    {
        ReportTables.Pass => "[green]PASS[/]",
        ReportTables.Fail => "[bold red]FAIL[/]",
        _ => Markup.Escape(text),
    };
}
