namespace Detect.Tasks.Analysis.H3;

/// <summary>Hexagon coordinates on the three axes i, j, k 120° apart (normalised: non-negative, at least one zero).</summary>
internal struct CoordIjk(int i, int j, int k)
{
    public int I = i, J = j, K = k;

    public static CoordIjk operator -(CoordIjk a, CoordIjk b) => new(a.I - b.I, a.J - b.J, a.K - b.K);

    public void Normalize()
    {
        if (I < 0) { J -= I; K -= I; I = 0; }
        if (J < 0) { I -= J; K -= J; J = 0; }
        if (K < 0) { I -= K; J -= K; K = 0; }
        int min = Math.Min(I, Math.Min(J, K));
        if (min > 0) { I -= min; J -= min; K -= min; }
    }

    /// <summary>The parent hexagon one resolution coarser, for Class II → III (counter-clockwise aperture-7 rotation).</summary>
    public void UpAperture7CounterClockwise()
    {
        int i = I - K, j = J - K;
        I = RoundHalfAway((3 * i - j) / 7.0);
        J = RoundHalfAway((i + 2 * j) / 7.0);
        K = 0;
        Normalize();
    }

    /// <summary>The parent hexagon one resolution coarser, clockwise aperture-7 rotation.</summary>
    public void UpAperture7Clockwise()
    {
        int i = I - K, j = J - K;
        I = RoundHalfAway((2 * i + j) / 7.0);
        J = RoundHalfAway((3 * j - i) / 7.0);
        K = 0;
        Normalize();
    }

    /// <summary>The centre child one resolution finer (counter-clockwise aperture 7).</summary>
    public void DownAperture7CounterClockwise()
    {
        // i·(3,0,1) + j·(1,3,0) + k·(0,1,3)
        (I, J, K) = (3 * I + J, 3 * J + K, I + 3 * K);
        Normalize();
    }

    /// <summary>The centre child one resolution finer (clockwise aperture 7).</summary>
    public void DownAperture7Clockwise()
    {
        // i·(3,1,0) + j·(0,3,1) + k·(1,0,3)
        (I, J, K) = (3 * I + K, I + 3 * J, J + 3 * K);
        Normalize();
    }

    /// <summary>The H3 digit (0..6) of a unit vector; 7 when it is not one.</summary>
    public readonly int ToDigit()
    {
        var c = this;
        c.Normalize();
        if (c.I > 1 || c.J > 1 || c.K > 1) return 7;
        return (c.I << 2) | (c.J << 1) | c.K; // center 000, k 001, j 010, jk 011, i 100, ik 101, ij 110
    }

    private static int RoundHalfAway(double x) => (int)Math.Round(x, MidpointRounding.AwayFromZero);
}
