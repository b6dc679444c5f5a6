using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Detect.Engine.Parameters;

/// <summary>Converts parameter values between their typed form and their canonical text.</summary>
public static class ParameterParsing
{
    public static bool TryParseDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>A human description of the accepted form, used in error messages and <c>describe</c>.</summary>
    public static string ExpectedForm(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string)) return "text";
        if (t == typeof(int) || t == typeof(long)) return "an integer, e.g. 4";
        if (t == typeof(double)) return "a number, e.g. 0.75";
        if (t == typeof(bool)) return "true or false";
        if (t == typeof(DateOnly)) return "a date YYYY-MM-DD, e.g. 2019-01-01";
        if (t == typeof(DateInterval)) return "a date interval YYYY-MM-DD-YYYY-MM-DD, e.g. 2019-01-01-2019-06-01";
        if (t.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(t).Select(ToKebab));
        if (ElementType(t) is { } e) return "a comma-separated list of " + ExpectedForm(e);
        return t.Name;
    }

    public static string TypeName(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string)) return "string";
        if (t == typeof(int) || t == typeof(long)) return "int";
        if (t == typeof(double)) return "double";
        if (t == typeof(bool)) return "bool";
        if (t == typeof(DateOnly)) return "date";
        if (t == typeof(DateInterval)) return "date interval";
        if (t.IsEnum) return "enum";
        if (ElementType(t) is { } e) return $"list<{TypeName(e)}>";
        return t.Name;
    }

    internal static Type? ElementType(Type t)
    {
        if (t.IsArray) return t.GetElementType();
        if (t.IsGenericType && t.GetGenericTypeDefinition() is var g &&
            (g == typeof(IReadOnlyList<>) || g == typeof(List<>) || g == typeof(IList<>) || g == typeof(IEnumerable<>)))
            return t.GetGenericArguments()[0];
        return null;
    }

    /// <summary>Parses text into a value of <paramref name="type"/>; false when the text is not of the expected form.</summary>
    public static bool TryParse(Type type, string text, out object? value)
    {
        value = null;
        var t = Nullable.GetUnderlyingType(type) ?? type;
        text = text.Trim();
        if (t == typeof(string)) { value = text; return true; }
        if (t == typeof(int)) { var ok = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v); value = v; return ok; }
        if (t == typeof(long)) { var ok = long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v); value = v; return ok; }
        if (t == typeof(double))
        {
            var ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v);
            value = v; return ok;
        }
        if (t == typeof(bool))
        {
            switch (text.ToLowerInvariant())
            {
                case "true" or "1" or "yes": value = true; return true;
                case "false" or "0" or "no": value = false; return true;
                default: return false;
            }
        }
        if (t == typeof(DateOnly)) { var ok = TryParseDate(text, out var d); value = d; return ok; }
        if (t == typeof(DateInterval)) { var ok = DateInterval.TryParse(text, out var i); value = i; return ok; }
        if (t.IsEnum)
        {
            var name = Enum.GetNames(t).FirstOrDefault(n =>
                string.Equals(n, text, StringComparison.OrdinalIgnoreCase) || string.Equals(ToKebab(n), text, StringComparison.OrdinalIgnoreCase));
            if (name is null) return false;
            value = Enum.Parse(t, name); return true;
        }
        if (ElementType(t) is { } elementType)
        {
            IEnumerable<string> parts;
            if (text.StartsWith('['))
            {
                JsonElement[]? items;
                try { items = JsonSerializer.Deserialize<JsonElement[]>(text); }
                catch (JsonException) { return false; } // "[1, 2" is not a list of any form
                parts = (items ?? []).Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText());
            }
            else parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var array = Array.CreateInstance(elementType, 0);
            var list = new List<object?>();
            foreach (var p in parts)
            {
                if (!TryParse(elementType, p, out var item)) return false;
                list.Add(item);
            }
            array = Array.CreateInstance(elementType, list.Count);
            for (var i = 0; i < list.Count; i++) array.SetValue(list[i], i);
            value = array; return true;
        }
        return false;
    }

    /// <summary>The canonical, culture-free text of a value: the same value always gives the same text.</summary>
    public static string Canonical(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateInterval i => i.ToString(),
        Enum e => ToKebab(e.ToString()),
        IEnumerable items => "[" + string.Join(",", items.Cast<object?>().Select(x => JsonSerializer.Serialize(Canonical(x)))) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>A value as error messages show it: numbers and dates bare, text in quotes ('' for empty).</summary>
    public static string Quoted(object? value) => value switch
    {
        string s => $"'{s}'",
        null => "''",
        _ => Canonical(value),
    };

    /// <summary>PascalCase or snake_case → kebab-case (<c>StartDate</c> → <c>start-date</c>).</summary>
    public static string ToKebab(string name)
    {
        var sb = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '_') { sb.Append('-'); continue; }
            if (char.IsUpper(c))
            {
                var prevLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                var nextLower = i > 0 && i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]);
                if (prevLowerOrDigit || nextLower) sb.Append('-');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>kebab-case → snake_case, the name the original pipeline used (and used in run manifests).</summary>
    public static string ToSnake(string kebab) => kebab.Replace('-', '_');
}
