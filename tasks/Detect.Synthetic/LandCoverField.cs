namespace Detect.Synthetic;

/// <summary>
/// A smooth random field (bilinear value noise on a 200 m lattice, two octaves) cut into land cover classes:
/// water (~15 %), vegetation (~50 %), soil (the rest). Deterministic from the seed.
/// </summary>
internal static class LandCoverField
{
    internal const byte Water = 0, Vegetation = 1, Soil = 2;

    internal static byte[] Generate(int width, int height, int seed)
    {
        var field = new float[width * height];
        AddOctave(field, width, height, 20, 1.0f, seed);
        AddOctave(field, width, height, 7, 0.4f, seed + 1);
        var sorted = (float[])field.Clone();
        Array.Sort(sorted);
        var waterBelow = sorted[(int)(sorted.Length * 0.15)];
        var vegetationBelow = sorted[(int)(sorted.Length * 0.65)];
        var classes = new byte[field.Length];
        for (var i = 0; i < field.Length; i++)
            classes[i] = field[i] < waterBelow ? Water : field[i] < vegetationBelow ? Vegetation : Soil;
        return classes;
    }

    private static void AddOctave(float[] field, int width, int height, int cell, float amplitude, int seed)
    {
        var random = new Random(seed);
        var lw = width / cell + 2;
        var lh = height / cell + 2;
        var lattice = new float[lw * lh];
        for (var i = 0; i < lattice.Length; i++) lattice[i] = (float)random.NextDouble();
        for (var r = 0; r < height; r++)
        {
            var fy = r / (float)cell;
            var y0 = (int)fy;
            var ty = fy - y0;
            for (var c = 0; c < width; c++)
            {
                var fx = c / (float)cell;
                var x0 = (int)fx;
                var tx = fx - x0;
                var top = lattice[y0 * lw + x0] * (1 - tx) + lattice[y0 * lw + x0 + 1] * tx;
                var bottom = lattice[(y0 + 1) * lw + x0] * (1 - tx) + lattice[(y0 + 1) * lw + x0 + 1] * tx;
                field[r * width + c] += amplitude * (top * (1 - ty) + bottom * ty);
            }
        }
    }
}
