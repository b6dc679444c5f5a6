using System.Text;
using CsvHelper;

namespace Detect.Engine.Watch;

/// <summary>A trigger's rows: the header (parameter names) and each further record, with the line it starts on.</summary>
public sealed record TriggerTable(IReadOnlyList<string> Header, IReadOnlyList<TriggerRow> Rows);

/// <summary>One data record: its number (1 = the first after the header), its line in the file, its fields.</summary>
public sealed record TriggerRow(int Number, long Line, IReadOnlyList<string> Cells);

/// <summary>The trigger as a whole cannot be read (empty, not CSV text, malformed); the message says why and what to do.</summary>
public sealed class TriggerFormatException(string message) : Exception(message);

/// <summary>
/// Reads a trigger with CsvHelper: RFC 4180 (comma separated; quoted fields may hold commas, quotes doubled, line
/// breaks), UTF-8 with or without a byte order mark, spaces around unquoted fields trimmed, blank lines skipped.
/// Anything else — bytes that are not UTF-8 text, broken quoting, a record with more or fewer fields than the
/// header — makes the whole file unreadable, with the line named: guessing at a malformed row could run the
/// wrong work.
/// </summary>
public static class TriggerCsv
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static TriggerTable Read(byte[] bytes)
    {
        CheckText(bytes);
        var options = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            Mode = CsvMode.Rfc4180,
            TrimWhitespace = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Throw,
            IncludeValuesInExceptions = true,
        };
        try
        {
            using var reader = CsvReader.Create(bytes, options);
            var rows = new List<TriggerRow>();
            while (reader.Read())
            {
                var cells = new string[reader.FieldCount];
                for (var i = 0; i < cells.Length; i++) cells[i] = reader.GetString(i);
                rows.Add(new TriggerRow(rows.Count + 1, reader.LineNumber, cells));
            }
            var header = reader.Headers.ToList();
            if (header.Count == 0 || header.All(h => h.Length == 0))
                throw new TriggerFormatException("it is empty: the first line must name the task's parameters (e.g. roi,start_date), each further line is one run.");
            return new TriggerTable(header, rows);
        }
        catch (CsvFormatException e)
        {
            var where = e.LineNumber > 0 ? $"line {e.LineNumber}: " : "";
            throw new TriggerFormatException($"it is not valid CSV ({where}{e.Message}). Write RFC 4180 CSV: comma separated, a header row, fields with commas or quotes in double quotes (\"a,b\", \"say \"\"hi\"\"\").");
        }
    }

    /// <summary>Text, not a binary file: valid UTF-8 and no NUL bytes (a spreadsheet saved as .xlsx, an image …).</summary>
    private static void CheckText(byte[] bytes)
    {
        var text = bytes.AsSpan();
        if (text.StartsWith("\uFEFF"u8)) text = text[3..];
        if (text.Trim(" \t\r\n"u8).IsEmpty)
            throw new TriggerFormatException("it is empty: the first line must name the task's parameters (e.g. roi,start_date), each further line is one run.");
        var nul = text.IndexOf((byte)0);
        int invalidAt;
        try
        {
            StrictUtf8.GetCharCount(text);
            invalidAt = nul;
        }
        catch (DecoderFallbackException e) { invalidAt = nul >= 0 ? Math.Min(nul, e.Index) : e.Index; }
        if (invalidAt >= 0)
            throw new TriggerFormatException($"it is not a CSV text file (binary content at byte {invalidAt}; an .xlsx workbook, an image?). Save it as CSV (UTF-8).");
    }
}
