/// A colour with a name, e.g. ("red", 220, 40, 40): the closed vocabulary of object colours.
public struct NamedColour: Sendable, Hashable, Codable {
    public var name: String
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(_ name: String, _ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.name = name
        self.red = red
        self.green = green
        self.blue = blue
    }
}

/// Eight compass directions in screen terms: north is up (−y), east is right (+x).
public enum CompassDirection: String, Sendable, Hashable, Codable, CaseIterable {
    case east, northEast, north, northWest, west, southWest, south, southEast

    /// The direction of a displacement (dx right, dy down in image rows), by 45° sectors centred on the axes.
    public init(dx: Double, dy: Double) {
        var degrees = atan2Degrees(-dy, dx)
        if degrees < 0 { degrees += 360 }
        let sector = Int(((degrees + 22.5) / 45).rounded(.down)) % 8
        self = CompassDirection.allCases[sector]
    }
}

/// The motion a caption states.
public enum ExpectedMotion: Sendable, Hashable, Codable {
    /// A coherent translation in one of eight directions.
    case direction(CompassDirection)
    /// No motion.
    case stationary
    /// Motion that is not a single translation (grow, shrink, rotate, bounce…).
    case other
}

/// What a caption promises about a clip, in a closed vocabulary the overall-consistency checks can test.
///
/// The data layer maps a caption ("a red circle moves left on a night sky") to this: the object colour
/// with the palette of colour words it was chosen from, the motion, and the scene label. Every field is
/// optional; overall consistency is the fraction of the stated (and checkable) fields that hold.
public struct ClipExpectation: Sendable, Hashable, Codable {
    /// The colour of the main object, if the caption names one.
    public var objectColour: NamedColour?
    /// Candidate colours; the clip's dominant non-background colour is the nearest of these.
    /// The expected colour is added if missing.
    public var palette: [NamedColour]
    public var motion: ExpectedMotion?
    /// Scene label, as used by the scene classifier's training labels.
    public var scene: String?

    public init(objectColour: NamedColour? = nil, palette: [NamedColour] = NamedColour.basicPalette,
                motion: ExpectedMotion? = nil, scene: String? = nil) {
        self.objectColour = objectColour
        self.palette = palette
        self.motion = motion
        self.scene = scene
    }
}

extension NamedColour {
    /// A default palette of basic colour words.
    public static let basicPalette: [NamedColour] = [
        NamedColour("red", 220, 40, 40), NamedColour("green", 40, 180, 60), NamedColour("blue", 40, 80, 220),
        NamedColour("yellow", 235, 215, 40), NamedColour("orange", 240, 140, 30), NamedColour("purple", 140, 60, 190),
        NamedColour("white", 240, 240, 240), NamedColour("black", 15, 15, 15), NamedColour("pink", 240, 130, 180),
        NamedColour("cyan", 40, 210, 220),
    ]
}

#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

func atan2Degrees(_ y: Double, _ x: Double) -> Double { atan2(y, x) * 180 / Double.pi }
