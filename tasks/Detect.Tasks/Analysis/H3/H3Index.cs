using System.Globalization;

namespace Detect.Tasks.Analysis.H3;

/// <summary>
/// H3 cell indexing (point → cell), implemented from the published H3 algorithm: the closest icosahedron face, a
/// face-centred gnomonic projection, hexagon IJK coordinates at the requested resolution, then aperture-7 steps up to
/// resolution 0, recording one digit per resolution, with the base-cell rotation and pentagon rules applied at the end.
/// Verified against h3-js (see tests/Detect.Tasks.Tests/Analysis/H3).
/// </summary>
public static class H3Index
{
    public const int MaxResolution = 15;
    private const double Epsilon = 1e-16;
    private const double Res0UnitGnomonic = 0.38196601125010500003;
    private const double Sqrt7 = 2.6457513110645905905016157536392604257102;
    private const double Ap7RotationRads = 0.333473172251832115336090755351601070065900389;
    private const double Sin60 = 0.8660254037844386467637231707529361834714;
    private const ulong InitIndex = 0x00001fffffffffffUL; // mode 0, res 0, base cell 0, all 15 digits 7
    private const int CellMode = 1;

    /// <summary>The H3 cell containing (lat, lng) in degrees at <paramref name="resolution"/> (0–15), as a 64-bit index.</summary>
    public static ulong LatLngToCell(double lat, double lng, int resolution)
    {
        if (resolution is < 0 or > MaxResolution)
            throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "H3 resolution must be 0..15.");
        if (!double.IsFinite(lat) || !double.IsFinite(lng))
            throw new ArgumentException($"H3 needs finite coordinates; got lat {lat}, lng {lng}.");
        var (face, ijk) = GeoToFaceIjk(lat * Math.PI / 180, lng * Math.PI / 180, resolution);
        return FaceIjkToIndex(face, ijk, resolution);
    }

    /// <summary>The H3 cell containing (lat, lng) in degrees, in its usual string form (lower-case hex, e.g. "872830828ffffff").</summary>
    public static string LatLngToCellString(double lat, double lng, int resolution) => ToString(LatLngToCell(lat, lng, resolution));

    public static string ToString(ulong index) => index.ToString("x", CultureInfo.InvariantCulture);

    public static int GetResolution(ulong index) => (int)((index >> 52) & 0xF);
    public static int GetBaseCell(ulong index) => (int)((index >> 45) & 0x7F);

    private static (int Face, CoordIjk Ijk) GeoToFaceIjk(double lat, double lng, int res)
    {
        double cosLat = Math.Cos(lat);
        double x = cosLat * Math.Cos(lng), y = cosLat * Math.Sin(lng), z = Math.Sin(lat);
        int face = 0;
        double sqd = double.MaxValue;
        for (int f = 0; f < H3Tables.FaceCount; f++)
        {
            var c = H3Tables.FaceCenterPoint[f];
            double d = (c.X - x) * (c.X - x) + (c.Y - y) * (c.Y - y) + (c.Z - z) * (c.Z - z);
            if (d < sqd) { face = f; sqd = d; }
        }
        double r = Math.Acos(1 - sqd / 2); // angular distance from the face centre
        if (r < Epsilon) return (face, HexCoordinates(0, 0));

        var centre = H3Tables.FaceCenterGeo[face];
        double theta = PositiveAngle(H3Tables.FaceIAxisAzimuth[face] - PositiveAngle(Azimuth(centre.Lat, centre.Lng, lat, lng)));
        if (res % 2 == 1) theta = PositiveAngle(theta - Ap7RotationRads); // Class III resolutions are rotated
        r = Math.Tan(r) / Res0UnitGnomonic; // gnomonic projection, in resolution-0 hexagon units
        for (int i = 0; i < res; i++) r *= Sqrt7;
        return (face, HexCoordinates(r * Math.Cos(theta), r * Math.Sin(theta)));
    }

    /// <summary>The hexagon containing a point of the face's 2-D plane (in hexagon units of the target resolution).</summary>
    private static CoordIjk HexCoordinates(double vx, double vy)
    {
        double a1 = Math.Abs(vx), a2 = Math.Abs(vy);
        double x2 = a2 / Sin60, x1 = a1 + x2 / 2.0;
        int m1 = (int)x1, m2 = (int)x2;
        double r1 = x1 - m1, r2 = x2 - m2;
        int i, j;
        if (r1 < 0.5)
        {
            if (r1 < 1.0 / 3.0)
            {
                i = m1;
                j = r2 < (1.0 + r1) / 2.0 ? m2 : m2 + 1;
            }
            else
            {
                j = r2 < 1.0 - r1 ? m2 : m2 + 1;
                i = (1.0 - r1) <= r2 && r2 < 2.0 * r1 ? m1 + 1 : m1;
            }
        }
        else if (r1 < 2.0 / 3.0)
        {
            j = r2 < 1.0 - r1 ? m2 : m2 + 1;
            i = (2.0 * r1 - 1.0) < r2 && r2 < 1.0 - r1 ? m1 : m1 + 1;
        }
        else
        {
            i = m1 + 1;
            j = r2 < r1 / 2.0 ? m2 : m2 + 1;
        }
        // fold back across the axes into the right quadrant
        if (vx < 0)
        {
            if (j % 2 == 0) { int axis = j / 2; i -= 2 * (i - axis); }
            else { int axis = (j + 1) / 2; i -= 2 * (i - axis) + 1; }
        }
        if (vy < 0) { i -= (2 * j + 1) / 2; j = -j; }
        var c = new CoordIjk(i, j, 0);
        c.Normalize();
        return c;
    }

    private static ulong FaceIjkToIndex(int face, CoordIjk ijk, int res)
    {
        ulong h = InitIndex;
        h = (h & ~(0xFUL << 59)) | ((ulong)CellMode << 59);
        h = (h & ~(0xFUL << 52)) | ((ulong)res << 52);

        // walk up to resolution 0, recording the digit of each step
        for (int r = res - 1; r >= 0; r--)
        {
            var last = ijk;
            CoordIjk lastCentre;
            if ((r + 1) % 2 == 1) { ijk.UpAperture7CounterClockwise(); lastCentre = ijk; lastCentre.DownAperture7CounterClockwise(); }
            else { ijk.UpAperture7Clockwise(); lastCentre = ijk; lastCentre.DownAperture7Clockwise(); }
            h = SetDigit(h, r + 1, (last - lastCentre).ToDigit());
        }
        if (ijk.I > 2 || ijk.J > 2 || ijk.K > 2)
            throw new InvalidOperationException($"H3 indexing left face {face} (ijk {ijk.I},{ijk.J},{ijk.K}); this is a bug.");

        var (baseCell, rotations) = H3Tables.FaceIjkBaseCells[face, ijk.I, ijk.J, ijk.K];
        h = (h & ~(0x7FUL << 45)) | ((ulong)baseCell << 45);
        if (H3Tables.PentagonCwOffsetFaces.TryGetValue(baseCell, out var cwOffsetFaces))
        {
            // a pentagon has no k-axis child: turn cells that would use it onto the adjacent sub-sequence
            if (LeadingNonZeroDigit(h, res) == 1)
                h = Array.IndexOf(cwOffsetFaces, face) >= 0 ? Rotate60Clockwise(h, res) : Rotate60CounterClockwise(h, res);
            for (int n = 0; n < rotations; n++) h = RotatePentagon60CounterClockwise(h, res);
        }
        else
        {
            for (int n = 0; n < rotations; n++) h = Rotate60CounterClockwise(h, res);
        }
        return h;
    }

    private static int Shift(int r) => (MaxResolution - r) * 3;
    private static int GetDigit(ulong h, int r) => (int)((h >> Shift(r)) & 7);
    private static ulong SetDigit(ulong h, int r, int digit) => (h & ~(7UL << Shift(r))) | ((ulong)digit << Shift(r));

    private static int LeadingNonZeroDigit(ulong h, int res)
    {
        for (int r = 1; r <= res; r++) { int d = GetDigit(h, r); if (d != 0) return d; }
        return 0;
    }

    // digit rotations: k(1)→ik(5)→i(4)→ij(6)→j(2)→jk(3)→k(1) counter-clockwise
    private static readonly int[] DigitCcw = [0, 5, 3, 1, 6, 4, 2, 7];
    private static readonly int[] DigitCw = [0, 3, 6, 2, 5, 1, 4, 7];

    private static ulong Rotate60CounterClockwise(ulong h, int res)
    {
        for (int r = 1; r <= res; r++) h = SetDigit(h, r, DigitCcw[GetDigit(h, r)]);
        return h;
    }

    private static ulong Rotate60Clockwise(ulong h, int res)
    {
        for (int r = 1; r <= res; r++) h = SetDigit(h, r, DigitCw[GetDigit(h, r)]);
        return h;
    }

    private static ulong RotatePentagon60CounterClockwise(ulong h, int res)
    {
        bool foundFirstNonZero = false;
        for (int r = 1; r <= res; r++)
        {
            h = SetDigit(h, r, DigitCcw[GetDigit(h, r)]);
            if (!foundFirstNonZero && GetDigit(h, r) != 0)
            {
                foundFirstNonZero = true;
                if (LeadingNonZeroDigit(h, res) == 1) h = Rotate60CounterClockwise(h, res); // never land on the missing k sub-sequence
            }
        }
        return h;
    }

    private static double Azimuth(double lat1, double lng1, double lat2, double lng2) =>
        Math.Atan2(Math.Cos(lat2) * Math.Sin(lng2 - lng1),
            Math.Cos(lat1) * Math.Sin(lat2) - Math.Sin(lat1) * Math.Cos(lat2) * Math.Cos(lng2 - lng1));

    private static double PositiveAngle(double rads)
    {
        double t = rads < 0 ? rads + 2 * Math.PI : rads;
        if (rads >= 2 * Math.PI) t -= 2 * Math.PI;
        return t;
    }
}
