import type { Prng } from './prng.js';

/** Name pools per region, so a Tokyo site mostly has Japanese hosts and Berlin European ones. */
export type NameRegion = 'americas' | 'europe' | 'asia';

interface NamePool {
  readonly first: readonly string[];
  readonly last: readonly string[];
}

const POOLS: Readonly<Record<NameRegion, NamePool>> = {
  americas: {
    first: [
      'James', 'Mary', 'Robert', 'Patricia', 'Michael', 'Jennifer', 'David', 'Linda', 'William',
      'Elizabeth', 'Ashley', 'Tyler', 'Brianna', 'Marcus', 'Keisha', 'Connor', 'Madison', 'Ethan',
      'José', 'María', 'Lucía', 'Mateo', 'Sofía', 'Andrés', 'Camila', 'João', 'Thiago', 'Valentina',
      'Chloé', 'Zoë', 'Renée', 'Noah', 'Priya', 'Wei', 'Olivia', 'Darnell', 'Siobhan', 'Mary-Jane',
    ],
    last: [
      'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson',
      'Taylor', 'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris',
      'García', 'Rodríguez', 'Martínez', 'Hernández', 'López', 'González', 'Pérez', 'Álvarez',
      'Gonçalves', 'Nguyen', 'Kim', 'Patel', 'Chen', "O'Brien", 'McAllister', 'Tremblay', 'Côté',
      'Washington', 'Okafor', 'Rivera',
    ],
  },
  europe: {
    first: [
      'Lukas', 'Anna', 'Jonas', 'Lea', 'Felix', 'Hannah', 'Maximilian', 'Sophie', 'Jürgen', 'Jörg',
      'Łukasz', 'Małgorzata', 'Piotr', 'Agnieszka', 'Søren', 'Åsa', 'Björn', 'Ingrid', 'Élodie',
      'François', 'Amélie', 'Thibault', 'Giulia', 'Matteo', 'Chiara', 'Niamh', 'Oisín', 'Ayşe',
      'Mehmet', 'Zoë', 'Dimitris', 'Eleni', 'Pieter', 'Sanne', 'Miloš', 'Tereza', 'Oliver', 'Emma',
    ],
    last: [
      'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schäfer',
      'Koch', 'Kowalski', 'Wiśniewski', 'Nowak', 'Lewandowska', 'Jørgensen', 'Andersson', 'Nilsson',
      'Lindqvist', 'Dubois', 'Lefèvre', 'Moreau', 'Girard', 'Rossi', 'Bianchi', 'Esposito',
      "O'Sullivan", 'Murphy', 'Yılmaz', 'Öztürk', 'Papadopoulos', 'van der Berg', 'de Vries',
      'Novák', 'Dvořák', 'Smith', 'Jones', 'Brown', 'Groß',
    ],
  },
  asia: {
    first: [
      'Haruto', 'Yui', 'Sōta', 'Aoi', 'Ren', 'Hina', 'Yūki', 'Sakura', 'Kenji', 'Akiko', 'Takeshi',
      'Emi', 'Hiroshi', 'Naoko', 'Daisuke', 'Mei', 'Kaito', 'Rin', 'Shōta', 'Misaki', 'Wei',
      'Xiaoling', 'Min-jun', 'Ji-woo', 'Arjun', 'Ananya', 'Rahul', 'Siti', 'Budi', 'Thảo', 'Minh',
      'Kenta', 'Tomoko', 'Ryō', 'Yuna', 'Daniel', 'Grace', 'Kevin',
    ],
    last: [
      'Satō', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Itō', 'Yamamoto', 'Nakamura',
      'Kobayashi', 'Katō', 'Yoshida', 'Yamada', 'Sasaki', 'Yamaguchi', 'Matsumoto', 'Inoue',
      'Kimura', 'Hayashi', 'Shimizu', 'Ōta', 'Mori', 'Ikeda', 'Hashimoto', 'Ishikawa', 'Wang',
      'Zhang', 'Liu', 'Park', 'Choi', 'Sharma', 'Iyer', 'Tan', 'Lim', 'Nguyễn', 'Trần', 'Ong',
      'Fujita', 'Okada',
    ],
  },
};

const ALL_REGIONS: readonly NameRegion[] = ['americas', 'europe', 'asia'];

/** A display name: mostly from the site's region, a quarter from anywhere (offices are mixed). */
export function randomDisplayName(prng: Prng, region: NameRegion): string {
  const pool = POOLS[prng.chance(0.75) ? region : prng.pick(ALL_REGIONS)];
  return `${prng.pick(pool.first)} ${prng.pick(pool.last)}`;
}

/** Letters that NFD does not split into base letter + accent. */
const UNDECOMPOSABLE: Readonly<Record<string, string>> = {
  ł: 'l', ø: 'o', ß: 'ss', æ: 'ae', œ: 'oe', đ: 'd', ı: 'i', å: 'a',
};

/** "José Álvarez" → "jose.alvarez", "Łukasz van der Berg" → "lukasz.vanderberg". */
export function emailLocalPart(displayName: string): string {
  const [first = '', ...rest] = displayName.split(' ');
  const fold = (s: string): string =>
    s
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[łøßæœđıå]/g, (c) => UNDECOMPOSABLE[c] ?? c)
      .replace(/[^a-z-]/g, '');
  return `${fold(first)}.${fold(rest.join(''))}`;
}
