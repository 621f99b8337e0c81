export * from './game-days.ts';
export * from './lab-game-days.ts';
