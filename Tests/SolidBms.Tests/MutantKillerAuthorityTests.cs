using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using SolidBms.Core.Config;
using SolidBms.Core.Protocol;

namespace SolidBms.Tests;

/// <summary>
/// Issue 24: the `authority` group of scripts/mutation.sh (SettingAuthority, DeviceAuth, WriteLog) driven directly, with
/// no controller or protocol rig, so that each mutant costs milliseconds: every rated class's bound, the looser-than
/// start-up rule of each untimed setting, the key rules at their edges and both rings of the write log.
/// </summary>
public class MutantKillerAuthorityTests
{
    // ---- SettingAuthority ----

    /// <summary>Every rating set, each to its own value beyond the start-up trip, so that a class mapped to the wrong rating shows.</summary>
    private static CellRatings AllRatings() => new()
    {
        MaxCellMillivolts = 4401, MinCellMillivolts = 2801, MaxChargeCurrentA = 2, MaxDischargeCurrentA = 4,
        MaxPulseCurrentA = 12, MaxChargeTemperatureC = 61, MinChargeTemperatureC = -1, MaxDischargeTemperatureC = 71,
        MinDischargeTemperatureC = -21, MinStackPressureKpa = 290, MaxStackPressureKpa = 2600,
    };

    [Fact]
    public void EachRatedClassTakesItsOwnRatingAndTheOthersNone()
    {
        var p = Repo.AssbProfile();
        var r = AllRatings();
        var expected = new Dictionary<string, float>
        {
            ["cellOverVoltage"] = 4401, ["packOverVoltage"] = 4401, ["cellUnderVoltage"] = 2801, ["packUnderVoltage"] = 2801,
            ["chargeOverCurrent"] = 2, ["dischargeOverCurrent"] = 4, ["shortCircuit"] = 12,
            ["chargeOverTemperature"] = 61, ["chargeUnderTemperature"] = -1, ["dischargeOverTemperature"] = 71,
            ["dischargeUnderTemperature"] = -21, ["stackPressureLow"] = 290, ["stackPressureHigh"] = 2600,
        };
        foreach (var limit in p.All())
        {
            float rating = SettingAuthority.Rating(r, p, limit);
            if (expected.TryGetValue(limit.Name, out float want)) Assert.Equal(want, rating);
            else Assert.True(float.IsNaN(rating), limit.Name + " has no rating");
            Assert.True(float.IsNaN(SettingAuthority.Rating(null, p, limit)), limit.Name + " without a cell file");
        }
    }

    [Fact]
    public void EveryRatedTripMayReachItsRatingAndNotOneStepBeyond()
    {
        // Each class on its own, the last of the list included: a check that stopped early would let it through.
        var startup = Repo.AssbProfile();
        var r = AllRatings();
        var names = new List<string>();
        foreach (var limit in startup.All())
        {
            float rating = SettingAuthority.Rating(r, startup, limit);
            if (float.IsNaN(rating)) continue;
            names.Add(limit.Name);
            var candidate = Repo.AssbProfile();
            var moved = Find(candidate, limit.Name);
            moved.Trip = rating;
            Assert.Null(SettingAuthority.Check(startup, startup, candidate, r));
            float step = limit.Above ? 1 : -1;
            moved.Trip = rating + step;
            Assert.Equal(limit.Name + ".trip: " + Text(rating + step) + " " + limit.Unit + " is beyond " + Text(rating) + " " + limit.Unit
                + " (the cell file's absolute rating); only the board's own files may go further",
                SettingAuthority.Check(startup, startup, candidate, r));
        }
        Assert.Equal(13, names.Count);
    }

    [Fact]
    public void AnUnratedTripIsBoundByItsStartUpValueAndTheReasonSaysSo()
    {
        // loopLate: the last class of the list, and one no cell file rates.
        var startup = Repo.AssbProfile();
        var candidate = Repo.AssbProfile();
        candidate.LoopLate.Trip = startup.LoopLate.Trip;
        Assert.Null(SettingAuthority.Check(startup, startup, candidate, AllRatings()));
        candidate.LoopLate.Trip = startup.LoopLate.Trip + 1;
        Assert.Equal("loopLate.trip: " + Text(startup.LoopLate.Trip + 1) + " ms is beyond " + Text(startup.LoopLate.Trip)
            + " ms (the start-up profile's value: the cell file gives no rating); only the board's own files may go further",
            SettingAuthority.Check(startup, startup, candidate, AllRatings()));
    }

    [Fact]
    public void TighteningATripIsAlwaysAllowed()
    {
        var startup = Repo.AssbProfile();
        var candidate = Repo.AssbProfile();
        candidate.CellOverVoltage.Trip = 4100;
        candidate.CellUnderVoltage.Trip = 3050;
        candidate.LoopLate.Trip = 1;
        Assert.Null(SettingAuthority.Check(startup, startup, candidate, AllRatings()));
        Assert.Null(SettingAuthority.Check(startup, startup, candidate, null));
    }

    [Fact]
    public void NoClassCanBeSwitchedOffButADisabledOneMayBeSwitchedOnOrStayOff()
    {
        var startup = Repo.AssbProfile();
        var candidate = Repo.AssbProfile();
        candidate.LoopLate.Enabled = false;
        Assert.Equal("loopLate.enabled: a protection class cannot be switched off over a port (the abuse-test mode inhibits actuation under its guard; docs/safety.md)",
            SettingAuthority.Check(startup, startup, candidate, null));
        var current = Repo.AssbProfile();
        current.LoopLate.Enabled = false; // off in the board's own files
        Assert.Null(SettingAuthority.Check(startup, current, candidate, null));
        Assert.Null(SettingAuthority.Check(startup, current, Repo.AssbProfile(), null));
    }

    [Theory]
    [InlineData("qualifyMs")]
    [InlineData("tripQualifyMs")]
    public void AQualificationTimeMayGrowOnlyToItsStartUpValue(string which)
    {
        var startup = Repo.AssbProfile();
        var current = Repo.AssbProfile();
        var candidate = Repo.AssbProfile();
        void Set(LimitProfile p, int ms) { if (which == "qualifyMs") p.LoopLate.QualifyMs = ms; else p.LoopLate.TripQualifyMs = ms; }
        int s = which == "qualifyMs" ? startup.LoopLate.QualifyMs : startup.LoopLate.TripQualifyMs;
        Set(current, s - 10);
        Set(candidate, s);
        Assert.Null(SettingAuthority.Check(startup, current, candidate, null));     // back to the start-up value
        Set(candidate, s + 1);
        Assert.Equal("loopLate." + which + ": " + (s + 1) + " is looser than the start-up profile's " + s + "; only the board's own files may go further",
            SettingAuthority.Check(startup, current, candidate, null));
        Set(current, s + 1);                                                          // already there (the board's own files): a write keeping it passes
        Assert.Null(SettingAuthority.Check(startup, current, candidate, null));
    }

    [Fact]
    public void TheUntimedSettingsMayGrowOnlyToTheirStartUpValues()
    {
        var startup = Repo.AssbProfile();
        var cases = new (string key, Action<LimitProfile, double> set, double startValue, double looser)[]
        {
            ("current.idleA", (p, v) => p.IdleCurrentA = (float)v, startup.IdleCurrentA, 0.25),
            ("current.alarmDerateFactor", (p, v) => p.AlarmDerateFactor = (float)v, startup.AlarmDerateFactor, 0.75),
            ("sensors.faultQualifyMs", (p, v) => p.SensorFaultQualifyMs = (int)v, startup.SensorFaultQualifyMs, startup.SensorFaultQualifyMs + 1),
            ("sensors.pressureRateWindowMs", (p, v) => p.PressureRateWindowMs = (int)v, startup.PressureRateWindowMs, startup.PressureRateWindowMs + 1),
            ("sensors.temperatureRateWindowMs", (p, v) => p.TemperatureRateWindowMs = (int)v, startup.TemperatureRateWindowMs, startup.TemperatureRateWindowMs + 1),
        };
        foreach (var (key, set, startValue, looser) in cases)
        {
            var current = Repo.AssbProfile();
            var candidate = Repo.AssbProfile();
            set(candidate, startValue);
            Assert.Null(SettingAuthority.Check(startup, current, candidate, null));
            set(candidate, looser);
            Assert.Equal(key + ": " + Text(looser) + " is looser than the start-up profile's " + Text(startValue) + "; only the board's own files may go further",
                SettingAuthority.Check(startup, current, candidate, null));
            set(current, looser); // the value in force already: unchanged, not refused
            Assert.Null(SettingAuthority.Check(startup, current, candidate, null));
        }
    }

    [Fact]
    public void AWholeNumberInAReasonIsPrintedInFullWithoutAnExponent()
    {
        var startup = Repo.AssbProfile();
        var candidate = Repo.AssbProfile();
        candidate.IdleCurrentA = 1e18f; // whole: 999999984306749440 A (a double prints it as 9.99...E+17)
        Assert.StartsWith("current.idleA: 999999984306749440 is looser", SettingAuthority.Check(startup, startup, candidate, null) ?? "");
    }

    private static LevelLimit Find(LimitProfile p, string name) => p.All().First(l => l.Name == name);

    /// <summary>A number as the reason prints it: no decimals when whole.</summary>
    private static string Text(double v) => v == Math.Round(v) ? ((long)v).ToString() : v.ToString();

    // ---- DeviceAuth ----

    private const string Key = "rig-key-abcdef";

    [Fact]
    public void TheRightKeyUnlocksFromAnyOffsetAndOnlyWithItsExactLength()
    {
        var a = new DeviceAuth(Key);
        byte[] framed = Encoding.ASCII.GetBytes("UNLOCK " + Key + "X");
        Assert.Equal(DeviceAuth.Unlocked, a.TryUnlock(framed, 7, Key.Length, 0));
        Assert.Equal(DeviceAuth.BadKey, a.TryUnlock(framed, 7, Key.Length + 1, 0)); // one byte too many
        Assert.Equal(DeviceAuth.BadKey, a.TryUnlock(framed, 7, Key.Length - 1, 0)); // a prefix
        Assert.Equal(DeviceAuth.BadKey, a.TryUnlock(framed, 6, Key.Length, 0));     // shifted by one
        Assert.Equal(3, a.Failures);
        Assert.Equal(DeviceAuth.Unlocked, a.TryUnlock(framed, 7, Key.Length, 0));
        Assert.Equal(0, a.Failures);
    }

    [Fact]
    public void TheConstantTimeCompareFindsADifferenceAtEveryPosition()
    {
        byte[] key = Encoding.ASCII.GetBytes(Key);
        Assert.True(DeviceAuth.ConstantTimeEquals(key, key, 0, key.Length));
        for (int i = 0; i < key.Length; i++)
        {
            byte[] c = (byte[])key.Clone();
            c[i] ^= 0x01;
            Assert.False(DeviceAuth.ConstantTimeEquals(key, c, 0, c.Length), "difference at " + i);
        }
        // A candidate shorter than the key: the missing bytes count as 0, and the lengths differ.
        byte[] zeros = new byte[key.Length];
        Assert.False(DeviceAuth.ConstantTimeEquals(new byte[4], zeros, 0, 3));
        Assert.True(DeviceAuth.ConstantTimeEquals(new byte[4], zeros, 0, 4));
    }

    [Fact]
    public void ACandidateShorterThanTheKeyIsReadOnlyAsFarAsItGoes()
    {
        // A short UNLOCK argument in a buffer of its own length: no byte past it is read (it would be past the array).
        var a = new DeviceAuth(Key);
        byte[] shortKey = Encoding.ASCII.GetBytes(Key.Substring(0, 5));
        Assert.Equal(DeviceAuth.BadKey, a.TryUnlock(shortKey, 0, shortKey.Length, 0));
        Assert.False(DeviceAuth.ConstantTimeEquals(Encoding.ASCII.GetBytes(Key), shortKey, 0, shortKey.Length));
        Assert.Equal(1, a.Failures);
    }

    [Fact]
    public void ThePlaceholderInAnyCaseUnlocksNothingAndCostsNoTry()
    {
        Assert.True(DeviceAuth.IsPlaceholderKey("chAnge-me-solidbms")); // 'A', the first capital, folds too
        Assert.True(DeviceAuth.IsPlaceholderKey("CHANGE-ME-SOLIDBMS"));
        Assert.False(DeviceAuth.IsPlaceholderKey(null!));
        Assert.False(DeviceAuth.IsPlaceholderKey("change-me-solidbms-"));
        Assert.False(DeviceAuth.IsPlaceholderKey("change-me-solidbm"));
        Assert.False(DeviceAuth.IsPlaceholderKey("change\rme-solidbms")); // '\r' + 32 is '-': only capitals fold
        var a = new DeviceAuth("Change-Me-SolidBMS");
        Assert.True(a.IsPlaceholder);
        byte[] k = Encoding.ASCII.GetBytes("Change-Me-SolidBMS");
        for (int n = 0; n < DeviceAuth.MaxFailures + 1; n++) Assert.Equal(DeviceAuth.Placeholder, a.TryUnlock(k, 0, k.Length, 0));
        Assert.Equal(0, a.Failures);
        Assert.Equal(0, a.LockoutCount);
        Assert.False(a.IsLockedOut(0));
    }

    [Theory]
    [InlineData("abcdefghijk", "must be 12 to 32 characters")]                       // 11
    [InlineData("abcdefghijkl", null)]                                               // 12
    [InlineData("abcdefghijklmnopqrstuvwxyz012345", null)]                           // 32
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", "must be 12 to 32 characters")] // 33
    [InlineData("abcdefgh ijkl", "must be printable ASCII without spaces")]
    [InlineData("abcdefgh\u007fijkl", "must be printable ASCII without spaces")]      // DEL, just past '~'
    [InlineData("abcdefgh!~ijkl", null)]                                             // '!' and '~', the printable ends
    [InlineData("abcdefgh*ijkl", "must not contain '*', ',' or '$' (line protocol delimiters)")]
    [InlineData("abcdefgh,ijkl", "must not contain '*', ',' or '$' (line protocol delimiters)")]
    [InlineData("abcdefgh$ijkl", "must not contain '*', ',' or '$' (line protocol delimiters)")]
    [InlineData("abcdefgaaaaa", "must have at least 8 different characters (this one has 7): a key of a few repeated characters is guessed first")]
    [InlineData("abcdefghaaaa", null)]                                               // exactly 8 different
    public void AKeyIsCheckedAtEachOfItsEdges(string key, string? problem)
    {
        Assert.Equal(problem, DeviceAuth.KeyProblem(key));
    }

    [Fact]
    public void AFreshDeviceIsNotLockedOutAtAnyTime()
    {
        var a = new DeviceAuth(Key);
        Assert.False(a.IsLockedOut(0));
        Assert.False(a.IsLockedOut(long.MinValue + 1));
        Assert.Equal(0, a.LockoutRemainingS(0));
        Assert.Equal(0, a.LockoutCount);
        Assert.Equal(0, a.Failures);
    }

    // ---- WriteLog ----

    [Fact]
    public void OnlyAcceptedOrRefusedRequestsOfTheKeyHolderAreKeyed()
    {
        int[] open = { WriteLog.ActionLock, WriteLog.ActionAbuseDisarm, WriteLog.ActionCaptureStart, WriteLog.ActionCaptureStop };
        for (int action = WriteLog.ActionSet; action <= WriteLog.ActionDisconnect; action++)
            for (int result = WriteLog.ResultAccepted; result <= WriteLog.ResultLockedOut; result++)
            {
                bool keyed = Array.IndexOf(open, action) < 0 && (result == WriteLog.ResultAccepted || result == WriteLog.ResultRefused);
                Assert.True(keyed == WriteLog.Keyed(action, result), WriteLog.ActionName(action) + " " + WriteLog.ResultName(result));
            }
    }

    [Fact]
    public void AnEntryKeepsEveryFieldItWasGiven()
    {
        var log = new WriteLog();
        log.Add(1234, WriteLog.SourceModbus, WriteLog.ActionClearTrips, 0, 2.5, 3, 0, 300, WriteLog.ResultRefused);
        log.Add(1300, WriteLog.SourceLine, WriteLog.ActionUnlock, -1, 0, WriteLog.ResultBadKey);
        int a = log.Slot(0), b = log.Slot(1);
        Assert.Equal(1234, log.TimeMs(a));
        Assert.Equal(WriteLog.SourceModbus, log.Source(a));
        Assert.Equal(WriteLog.ActionClearTrips, log.Action(a));
        Assert.Equal(0, log.Field(a));
        Assert.Equal(2.5, log.Value(a));
        Assert.Equal(WriteLog.ResultRefused, log.Result(a));
        Assert.Equal(3, log.FieldCount(a));
        Assert.Equal(0, log.FirstRegister(a));         // register 0 is a register, not "the line port"
        Assert.Equal(300 & 0xFF, log.RegisterCount(a)); // the count keeps its low byte (Modbus writes at most 123)
        Assert.Equal(-1, log.Field(b));
        Assert.Equal(0, log.FieldCount(b));            // no field: none counted
        Assert.Equal(-1, log.FirstRegister(b));
        Assert.Equal(2, log.Refused);
        log.Add(1400, WriteLog.SourceLine, WriteLog.ActionSet, 0, 4280, WriteLog.ResultAccepted);
        Assert.Equal(1, log.FieldCount(log.Slot(2)));  // field 0 is a field
        Assert.Equal(2, log.Refused);                  // an accepted write is no refusal
        Assert.Equal(3, log.Total);
    }

    [Fact]
    public void RegisterZeroOfAnEmptyRangeIsStillARegisterAndAnyNegativeOneIsTheLinePort()
    {
        var log = new WriteLog();
        log.Add(1, WriteLog.SourceModbus, WriteLog.ActionSet, 0, 1, 0, 0, 0, WriteLog.ResultAccepted);
        log.Add(2, WriteLog.SourceLine, WriteLog.ActionSet, 0, 1, 1, int.MinValue, 5, WriteLog.ResultAccepted);
        Assert.Equal(0, log.FirstRegister(log.Slot(0)));
        Assert.Equal(0, log.RegisterCount(log.Slot(0)));
        Assert.Equal(-1, log.FirstRegister(log.Slot(1)));
        Assert.Equal(0, log.RegisterCount(log.Slot(1)));
    }

    [Fact]
    public void TheNextHeldEntryIsTheSmallestSequenceFromThereOn()
    {
        var log = new WriteLog();
        for (int k = 0; k < 3; k++) log.Add(k, WriteLog.SourceLine, WriteLog.ActionSet, 1, k, WriteLog.ResultAccepted); // slots 0..2
        for (long seq = 0; seq < 3; seq++) Assert.Equal(seq, log.Sequence(log.NextSlot(seq)));
        Assert.Equal(0, log.NextSlot(0)); // the first slot holds it: not passed over for a later one
        Assert.Equal(-1, log.NextSlot(3));
    }

    [Fact]
    public void TheOpenRingWrapsWithoutTouchingTheKeyedOne()
    {
        var log = new WriteLog();
        Assert.Equal(0, log.Oldest);
        Assert.Equal(-1, log.NextSlot(0));
        Assert.Equal(0, log.NewestFrom(5));
        for (int k = 0; k < 3; k++) log.Add(k, WriteLog.SourceLine, WriteLog.ActionSet, 1, k, WriteLog.ResultAccepted); // seq 0..2, keyed
        for (int k = 0; k < WriteLog.OpenCapacity + 4; k++) log.Add(100 + k, WriteLog.SourceModbus, WriteLog.ActionUnlock, -1, 0, WriteLog.ResultBadKey); // seq 3..22
        Assert.Equal(23, log.Total);
        Assert.Equal(0, log.Oldest);                   // the keyed entries outlive the flood
        for (long seq = 0; seq < 3; seq++) Assert.NotEqual(-1, log.Slot(seq));
        for (long seq = 3; seq < 7; seq++) Assert.Equal(-1, log.Slot(seq)); // the first four open ones washed out
        for (long seq = 7; seq < 23; seq++) Assert.InRange(log.Slot(seq), WriteLog.Capacity, WriteLog.Capacity + WriteLog.OpenCapacity - 1);
        Assert.Equal(7, log.Sequence(log.NextSlot(3)));  // the next held entry from a washed one
        Assert.Equal(2, log.Sequence(log.NextSlot(2)));  // a held one is its own next
        Assert.Equal(-1, log.NextSlot(23));
        Assert.Equal(23, log.NewestFrom(0));
        Assert.Equal(22, log.NewestFrom(1));
        Assert.Equal(7, log.NewestFrom(16));
        Assert.Equal(2, log.NewestFrom(17));             // across the gap into the keyed ring
        Assert.Equal(0, log.NewestFrom(19));
        Assert.Equal(0, log.NewestFrom(100));            // fewer held than asked: the oldest
        Assert.Equal(WriteLog.OpenCapacity + 4, log.Refused);
    }

    [Fact]
    public void TheKeyedRingWrapsAtItsCapacity()
    {
        var log = new WriteLog();
        for (int k = 0; k < WriteLog.Capacity; k++) log.Add(k, WriteLog.SourceLine, WriteLog.ActionSet, 1, k, WriteLog.ResultAccepted);
        Assert.Equal(0, log.Oldest);
        log.Add(99, WriteLog.SourceLine, WriteLog.ActionLock, -1, 0, WriteLog.ResultAccepted); // open: washes nothing keyed
        Assert.Equal(0, log.Oldest);
        log.Add(100, WriteLog.SourceLine, WriteLog.ActionSet, 1, 7, WriteLog.ResultAccepted);
        Assert.Equal(1, log.Oldest);
        Assert.Equal(log.Slot(log.Total - 1), log.Slot(33));
        Assert.Equal(0, log.Slot(33));                   // the keyed ring's first slot, reused
        Assert.Equal(100, log.TimeMs(0));
    }

    [Fact]
    public void EveryCodeHasItsName()
    {
        Assert.Equal(new[] { "line", "modbus" }, new[] { WriteLog.SourceName(WriteLog.SourceLine), WriteLog.SourceName(WriteLog.SourceModbus) });
        Assert.Equal("set clear time capture-start capture-stop unlock lock abuse-request abuse-confirm abuse-disarm capture-trigger capture-release connect disconnect",
            string.Join(" ", Enumerable.Range(0, WriteLog.ActionDisconnect + 1).Select(WriteLog.ActionName)));
        Assert.Equal("accepted not-authorised refused bad-key locked-out",
            string.Join(" ", Enumerable.Range(0, WriteLog.ResultLockedOut + 1).Select(WriteLog.ResultName)));
    }
}
