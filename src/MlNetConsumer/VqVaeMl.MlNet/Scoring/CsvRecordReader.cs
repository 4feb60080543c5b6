using System.Text;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>One record of codes.csv or metrics.csv: its first field (the relative path, unquoted) and its exact text.</summary>
public readonly record struct CsvRecord(string Path, string Text);

/// <summary>
/// Reads codes.csv or metrics.csv a record at a time, keeping each record's text exactly as written
/// (its closing '\n' included), so records copied from several files make a file byte for byte like one
/// written in a single run. A record ends at a '\n' outside quotes: a quoted path may hold line breaks.
/// </summary>
public sealed class CsvRecordReader(TextReader reader, string fileName) : IDisposable
{
    readonly StringBuilder text = new();
    readonly StringBuilder path = new();

    /// <summary>The header line, with its '\n'; throws when the file is empty.</summary>
    public string ReadHeader() =>
        Next()?.Text ?? throw new InvalidDataException($"{fileName}: empty file (no header line)");

    /// <summary>The next record, or null at the end of the file.</summary>
    public CsvRecord? Next()
    {
        text.Clear();
        path.Clear();
        bool quoted = false, inFirstField = true, atFieldStart = true;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            char ch = (char)c;
            text.Append(ch);
            if (quoted)
            {
                if (ch != '"') { if (inFirstField) path.Append(ch); continue; }
                // "" inside quotes is one quote; a lone quote closes the field.
                if (reader.Peek() == '"') { reader.Read(); text.Append('"'); if (inFirstField) path.Append('"'); }
                else quoted = false;
                continue;
            }
            if (ch == '\n') return new CsvRecord(path.ToString(), text.ToString());
            if (ch == '"' && atFieldStart) { quoted = true; atFieldStart = false; continue; }
            atFieldStart = false;
            if (ch == ',') { inFirstField = false; atFieldStart = true; continue; }
            if (inFirstField) path.Append(ch);
        }
        if (text.Length == 0) return null;
        throw new InvalidDataException($"{fileName}: the last record has no closing line break (a file cut short?)");
    }

    public void Dispose() => reader.Dispose();
}
